// JSON Schema for lab.yaml (labs/schema.json), for editor completion. Beyond the spec's own shape, each
// built-in check's `with:` parameters are spelled out (an if/then per check name), so an editor completes and
// flags them the way the loader will.
import { z } from 'zod';
import { labSpecSchema } from './schema.ts';
import type { CheckRegistry } from './types.ts';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON Schema node of `steps[].checks[]`. */
function checkItems(schema: JsonObject): JsonObject | undefined {
  const steps = (schema['properties'] as JsonObject | undefined)?.['steps'];
  const step = isObject(steps) ? steps['items'] : undefined;
  const checks = isObject(step) ? (step['properties'] as JsonObject | undefined)?.['checks'] : undefined;
  const items = isObject(checks) ? checks['items'] : undefined;
  return isObject(items) ? items : undefined;
}

export function labJsonSchema(registry: CheckRegistry): JsonObject {
  const schema: JsonObject = {
    ...z.toJSONSchema(labSpecSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }),
    title: 'labkit lab spec (labs/<lab>/lab.yaml)',
  };
  const items = checkItems(schema);
  if (!items) throw new Error('lab JSON Schema: steps[].checks[] not found (schema layout changed)');
  const names = [...registry.keys()].sort();
  const itemProps = items['properties'] as JsonObject;
  itemProps['check'] = { ...(itemProps['check'] as JsonObject), enum: names };
  items['allOf'] = names.map((name) => {
    const check = registry.get(name);
    const params = check
      ? z.toJSONSchema(check.params, { target: 'draft-7', io: 'input', unrepresentable: 'any' })
      : {};
    delete (params as JsonObject)['$schema'];
    return {
      if: { properties: { check: { const: name } }, required: ['check'] },
      then: { properties: { with: { ...params, description: check?.description } } },
    };
  });
  return schema;
}
