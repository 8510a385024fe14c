// A project folder for lab:up tests against the stub vagrant (test/helpers/bin/vagrant): the config file,
// a copy of scripts/provision, and the stub's state with every machine in one state. Removed after the file.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { parseConfigText } from '../../src/config/load.ts';
import type { LabConfig } from '../../src/config/schema.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface StubLabWorkspace {
  readonly dir: string;
  /** STUB_VAGRANT_DIR: the stub's state.json and calls.log. */
  readonly stubDir: string;
  readonly config: LabConfig;
  readonly configPath: string;
}

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

export async function stubLabWorkspace(
  prefix: string,
  configText: string,
  machines = 'not_created',
): Promise<StubLabWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  const stubDir = join(dir, 'stub');
  await mkdir(stubDir);
  await cp(join(ROOT, 'scripts/provision'), join(dir, 'scripts/provision'), { recursive: true });
  const configPath = join(dir, 'lab.config.yaml');
  await writeFile(configPath, configText);
  const config = parseConfigText(configPath, configText);
  const state = {
    provider: config.vagrant.provider,
    machines: Object.fromEntries(config.nodes.map((n) => [n.name, machines])),
  };
  await writeFile(join(stubDir, 'state.json'), JSON.stringify(state));
  return { dir, stubDir, config, configPath };
}
