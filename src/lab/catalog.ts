// Where labs live (labs/<name>/lab.yaml, or LAB_LABS_DIR) and how a LAB argument becomes a spec file: a
// plain lab name is looked up there (names are kebab-case, so no path tricks), anything else is a path.
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EXIT, UserError } from '../util/exit-codes.ts';
import { PROJECT_DIR } from '../util/project-dir.ts';

const LAB_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function labsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['LAB_LABS_DIR'] ?? join(PROJECT_DIR, 'labs');
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Names of the folders under the labs dir that hold a lab.yaml. */
export async function listLabNames(dir: string = labsDir()): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const e of entries)
    if (e.isDirectory() && LAB_NAME.test(e.name) && (await isFile(join(dir, e.name, 'lab.yaml'))))
      names.push(e.name);
  return names.sort();
}

/** LAB → the lab.yaml to load. */
export async function resolveLabFile(ref: string, dir: string = labsDir()): Promise<string> {
  if (LAB_NAME.test(ref)) {
    const file = join(dir, ref, 'lab.yaml');
    if (await isFile(file)) return file;
    const known = await listLabNames(dir);
    throw new UserError(
      `no lab named ${JSON.stringify(ref)} in ${dir}; the labs are: ${known.join(', ') || '(none)'} (see \`lab list\`)`,
      EXIT.usage,
    );
  }
  const path = resolve(ref);
  if (await isFile(path)) return path;
  if (await isFile(join(path, 'lab.yaml'))) return join(path, 'lab.yaml');
  throw new UserError(
    `${JSON.stringify(ref)} is neither a lab name (see \`lab list\`) nor a lab.yaml or a folder holding one`,
    EXIT.usage,
  );
}
