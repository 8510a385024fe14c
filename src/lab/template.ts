// `${memory.KEY}` in lab commands. In argv the value replaces the template inside its word and the word stays
// one argv element (quoted by the SSH layer), so a value can never add words or shell syntax. In a script the
// template becomes the variable ${LAB_MEMORY_KEY}, whose value travels as a quoted environment assignment.
import type { LabMemory } from '../checks/types.ts';
import { TEMPLATE } from './spec/schema.ts';

const MEMORY_REF = /^memory\.([A-Za-z][A-Za-z0-9_]*)$/;

/** A template names a memory key no earlier step or command has set. */
export class MissingMemoryError extends Error {
  constructor(readonly key: string) {
    super(
      `lab memory has no "${key}": the step that saves it has not run on this target yet (run the earlier steps, or \`lab solve\` them)`,
    );
    this.name = 'MissingMemoryError';
  }
}

function lookup(key: string, memory: LabMemory): string {
  const value = memory.get(key);
  if (value === undefined) throw new MissingMemoryError(key);
  return value;
}

/** Replaces every `${memory.KEY}` in each word; each word stays exactly one word. */
export function substituteArgv(argv: readonly string[], memory: LabMemory): string[] {
  return argv.map((word) =>
    word.replace(TEMPLATE, (whole, inner: string) => {
      const match = MEMORY_REF.exec(inner);
      return match?.[1] !== undefined ? lookup(match[1], memory) : whole;
    }),
  );
}

export function memoryEnvName(key: string): string {
  return `LAB_MEMORY_${key}`;
}

/** Rewrites `${memory.KEY}` to `${LAB_MEMORY_KEY}` and returns the env the script needs. */
export function prepareScript(
  script: string,
  memory: LabMemory,
): { script: string; env: Record<string, string> } {
  const env: Record<string, string> = {};
  const text = script.replace(TEMPLATE, (whole, inner: string) => {
    const match = MEMORY_REF.exec(inner);
    if (match?.[1] === undefined) return whole;
    const name = memoryEnvName(match[1]);
    env[name] = lookup(match[1], memory);
    return `\${${name}}`;
  });
  return { script: text, env };
}

/** Replaces templates in every string of a built-in check's parameters (objects and arrays walked). */
export function substituteParams(value: unknown, memory: LabMemory): unknown {
  if (typeof value === 'string') return substituteArgv([value], memory)[0];
  if (Array.isArray(value)) return value.map((v) => substituteParams(v, memory));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteParams(v, memory)]));
  return value;
}

/** Memory keys a text refers to (for dry runs and explain). */
export function memoryRefs(text: string): string[] {
  return [...text.matchAll(TEMPLATE)].flatMap((m) => {
    const match = MEMORY_REF.exec(m[1] ?? '');
    return match?.[1] !== undefined ? [match[1]] : [];
  });
}
