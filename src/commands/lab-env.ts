// Where a lab lives: the project folder (Vagrantfile, scripts/provision), its config and its .lab/ state.
import { join } from 'node:path';
import { loadConfig, resolveConfigPath } from '../config/load.ts';
import type { LabConfig } from '../config/schema.ts';
import { PROJECT_DIR } from '../util/project-dir.ts';
import type { VagrantOptions } from '../vagrant/run.ts';

/** .lab/ (kubeconfig, logs, lab memory, current-lab.json); LAB_STATE_DIR moves it elsewhere, e.g. for tests or
 *  several labs side by side. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['LAB_STATE_DIR'] ?? join(PROJECT_DIR, '.lab');
}

export interface LabEnv {
  readonly config: LabConfig;
  readonly configPath: string;
  readonly projectDir: string;
  readonly stateDir: string;
  readonly vagrant: VagrantOptions;
}

export async function loadLabEnv(options: { config?: string } = {}): Promise<LabEnv> {
  const configPath = resolveConfigPath(
    options.config ?? process.env['LAB_CONFIG'] ?? join(PROJECT_DIR, 'lab.config.yaml'),
  );
  const config = await loadConfig(configPath);
  return {
    config,
    configPath,
    projectDir: PROJECT_DIR,
    stateDir: defaultStateDir(),
    vagrant: {
      cwd: PROJECT_DIR,
      configPath,
      ...(process.env['LAB_VAGRANT_BIN'] ? { bin: process.env['LAB_VAGRANT_BIN'] } : {}),
    },
  };
}
