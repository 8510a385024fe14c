import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { configJsonSchema } from '../../../src/config/json-schema.ts';

test('lab.config.schema.json is up to date (regenerate with `npm run schema`)', () => {
  const committed: unknown = JSON.parse(
    readFileSync(new URL('../../../lab.config.schema.json', import.meta.url), 'utf8'),
  );
  expect(committed).toEqual(configJsonSchema());
});

test('the schema rejects unknown keys so editors flag misspellings', () => {
  const schema = configJsonSchema() as {
    additionalProperties?: unknown;
    properties: Record<string, { additionalProperties?: unknown }>;
  };
  expect(schema.additionalProperties).toBe(false);
  expect(schema.properties['network']?.additionalProperties).toBe(false);
});

test('lab.config.yaml points editors at the schema', () => {
  expect(readFileSync(new URL('../../../lab.config.yaml', import.meta.url), 'utf8').split('\n')[0]).toBe(
    '# yaml-language-server: $schema=./lab.config.schema.json',
  );
});
