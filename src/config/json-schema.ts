// JSON Schema for lab.config.yaml, for editor completion (yaml-language-server reads the `$schema` comment).
import { z } from 'zod';
import { configSchema } from './schema.ts';

export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { target: 'draft-7', io: 'input' }),
    title: 'labkit lab configuration (lab.config.yaml)',
  };
}
