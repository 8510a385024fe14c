// Runs the real Vagrantfile outside any VM: `ruby -c`, `vagrant validate` in a throwaway workspace, and
// effective-settings.rb (the Vagrantfile loaded with a recording Vagrant.configure, dumped as JSON).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { toolPath, type Tool } from '../../helpers/tools.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../..');
export const vagrantfilePath = join(repoRoot, 'Vagrantfile');
export const configFixture = (name: string): string => join(repoRoot, 'test/fixtures/configs', name);

/** What these tests need; suites register with describeWithTools(VAGRANTFILE_TOOLS, ...). */
export const VAGRANTFILE_TOOLS: readonly Tool[] = ['ruby', 'vagrant', 'vagrant-libvirt'];

export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The caller's environment without anything that would steer Vagrant or the Vagrantfile. */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('LAB_') && !k.startsWith('VAGRANT_')) env[k] = v;
  }
  return { ...env, VAGRANT_CHECKPOINT_DISABLE: '1', VAGRANT_NO_COLOR: '1', ...extra };
}

/** A workspace per call: a symlink to the real Vagrantfile (its __dir__ resolves to the repository, so it
 *  reads scripts/provision from there) and a private VAGRANT_HOME, so neither the repository's .vagrant/
 *  nor the user's ~/.vagrant.d is touched. */
export function runVagrant(args: string[], extraEnv: Record<string, string>): ToolResult {
  const dir = mkdtempSync(join(tmpdir(), 'labkit-vagrantfile-'));
  try {
    symlinkSync(vagrantfilePath, join(dir, 'Vagrantfile'));
    const r = spawnSync(toolPath('vagrant'), args, {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: cleanEnv({ VAGRANT_HOME: join(dir, 'vagrant.d'), ...extraEnv }),
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function rubySyntaxCheck(file: string): ToolResult {
  const r = spawnSync(toolPath('ruby'), ['-c', file], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const settingValue = z.union([z.string(), z.number(), z.boolean()]);
const provisionerSchema = z.strictObject({
  name: z.string(),
  type: z.string(),
  inline: z.string(),
  env: z.record(z.string(), z.string()),
});
const machineSchema = z.strictObject({
  name: z.string(),
  settings: z.record(z.string(), settingValue),
  networks: z.array(z.record(z.string(), settingValue)),
  syncedFolders: z.array(z.record(z.string(), settingValue)),
  providers: z.array(
    z.strictObject({
      name: z.string(),
      settings: z.record(z.string(), settingValue),
      errors: z.array(z.string()),
    }),
  ),
  provisioners: z.array(provisionerSchema),
});
const effectiveSchema = z.strictObject({ configureCalls: z.number(), machines: z.array(machineSchema) });

export type EffectiveSettings = z.infer<typeof effectiveSchema>;
export type EffectiveMachine = z.infer<typeof machineSchema>;

export interface EffectiveRun extends ToolResult {
  raw: string;
  /** Parsed JSON when the Vagrantfile loaded (exit 0). */
  settings?: EffectiveSettings;
}

/** Loads `vagrantfile` (default: the repository's) with the recording harness and the given environment. */
export function effectiveSettings(
  extraEnv: Record<string, string>,
  vagrantfile: string = vagrantfilePath,
): EffectiveRun {
  const r = spawnSync(toolPath('ruby'), [join(here, 'effective-settings.rb'), vagrantfile], {
    encoding: 'utf8',
    timeout: 60_000,
    env: cleanEnv(extraEnv),
  });
  const result: EffectiveRun = { status: r.status, stdout: r.stdout, stderr: r.stderr, raw: r.stdout };
  if (r.status === 0) result.settings = effectiveSchema.parse(JSON.parse(r.stdout));
  return result;
}
