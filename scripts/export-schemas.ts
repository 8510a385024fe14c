#!/usr/bin/env tsx
// npm run schema: regenerate the JSON Schemas editors use (a unit test fails when they are stale).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_DIR } from '../src/util/project-dir.ts';
import { configJsonSchema } from '../src/config/json-schema.ts';

const target = join(PROJECT_DIR, 'lab.config.schema.json');
await writeFile(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);

// Lab specs (labs/<lab>/lab.yaml point at ../schema.json).
const { labJsonSchema } = await import('../src/lab/spec/json-schema.ts');
const { defaultCheckRegistry } = await import('../src/lab/registry.ts');
const labSchemaFile = join(PROJECT_DIR, 'labs', 'schema.json');
await writeFile(labSchemaFile, `${JSON.stringify(labJsonSchema(defaultCheckRegistry()), null, 2)}\n`);
process.stdout.write(`wrote ${labSchemaFile}\n`);
