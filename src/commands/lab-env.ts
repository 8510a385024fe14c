// Where a lab lives: the project folder (Vagrantfile, scripts/provision), its config and its .lab/ state.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, resolveConfigPath } from '../config/load.ts';
import type { LabConfig } from '../config/schema.ts';
import type { VagrantOptions } from '../vagrant/run.ts';

export const PROJECT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

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
    // LAB_STATE_DIR moves .lab/ (kubeconfig, logs) elsewhere, e.g. for tests or several labs side by side.
    stateDir: process.env['LAB_STATE_DIR'] ?? join(PROJECT_DIR, '.lab'),
    vagrant: {
      cwd: PROJECT_DIR,
      configPath,
      ...(process.env['LAB_VAGRANT_BIN'] ? { bin: process.env['LAB_VAGRANT_BIN'] } : {}),
    },
  };
}
