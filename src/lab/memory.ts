// Lab memory: values kept between steps and between runs for one lab on one target (e.g. the pod a step
// deleted), in <stateDir>/memory/<lab>-<target>.json. Written whole through a temp file + rename so an
// interrupted run never leaves half a file.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { LabMemory } from '../checks/types.ts';
import { EXIT, UserError } from '../util/exit-codes.ts';

const memoryFileSchema = z.record(z.string(), z.string());

/** A file name from a lab and target name: safe characters kept, a hash keeps distinct names distinct. */
export function memoryFileName(lab: string, target: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
  const hash = createHash('sha256').update(`${lab}\0${target}`).digest('hex').slice(0, 8);
  return `${safe(lab)}-${safe(target)}-${hash}.json`;
}

export function memoryPath(stateDir: string, lab: string, target: string): string {
  return join(stateDir, 'memory', memoryFileName(lab, target));
}

/** Memory held in a Map (tests, dry runs). */
export class InMemoryLabMemory implements LabMemory {
  protected readonly values = new Map<string, string>();

  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k, v);
  }

  get(key: string): string | undefined {
    return this.values.get(key);
  }

  set(key: string, value: string): void {
    this.values.set(key, value);
  }

  entries(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
}

/** Memory persisted to a JSON file after every change. */
export class FileLabMemory extends InMemoryLabMemory {
  private constructor(
    readonly file: string,
    initial: Record<string, string>,
  ) {
    super(initial);
  }

  static open(file: string): FileLabMemory {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new FileLabMemory(file, {});
      throw error;
    }
    let parsed: Record<string, string>;
    try {
      parsed = memoryFileSchema.parse(JSON.parse(text));
    } catch {
      throw new UserError(
        `${file}: lab memory is not a JSON object of strings; delete it (or run \`lab reset\`) and run the steps again`,
        EXIT.usage,
      );
    }
    return new FileLabMemory(file, parsed);
  }

  override set(key: string, value: string): void {
    super.set(key, value);
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.entries(), null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  /** Forgets everything (lab reset). */
  clear(): void {
    this.values.clear();
    rmSync(this.file, { force: true });
  }
}
