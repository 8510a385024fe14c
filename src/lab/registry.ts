// The built-in checks (src/checks) keyed by the name lab.yaml uses.
import { builtinChecks } from '../checks/index.ts';
import type { CheckRegistry } from './spec/types.ts';

export function defaultCheckRegistry(): CheckRegistry {
  return new Map(builtinChecks.map((c) => [c.name, c]));
}
