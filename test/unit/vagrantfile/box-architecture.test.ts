// The box build the Vagrantfile asks Vagrant for: the config's vagrant.boxArchitecture when pinned, else
// LAB_BOX_ARCH (the host's, which every labkit command passes), else nothing (Vagrant's own :auto). Real
// `vagrant validate` (Vagrant 2.3.4 here, which has no box architectures) must still accept the file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { describeWithTools } from '../../helpers/with-tools.ts';
import { VAGRANTFILE_TOOLS, effectiveSettings, repoRoot, runVagrant } from './run-ruby.ts';

vi.setConfig({ testTimeout: 60_000 });

const dir = mkdtempSync(join(tmpdir(), 'labkit-boxarch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = readFileSync(join(repoRoot, 'lab.config.yaml'), 'utf8');
function configWith(arch: string): string {
  const path = join(dir, `lab.${arch}.yaml`);
  writeFileSync(path, base.replace('boxArchitecture: auto', `boxArchitecture: ${arch}`));
  return path;
}
const archOf = (env: Record<string, string>) =>
  effectiveSettings(env).settings?.machines.map((m) => m.settings['box_architecture'] ?? 'unset');

describeWithTools(VAGRANTFILE_TOOLS, 'box architecture in the Vagrantfile', () => {
  it('auto: the host architecture labkit passes, else Vagrant decides', () => {
    const auto = join(repoRoot, 'lab.config.yaml');
    expect(archOf({ LAB_CONFIG: auto, LAB_BOX_ARCH: 'arm64' })).toEqual(['arm64', 'arm64', 'arm64']);
    expect(archOf({ LAB_CONFIG: auto })).toEqual(['unset', 'unset', 'unset']);
  });

  it('a pinned architecture wins over the host', () => {
    expect(archOf({ LAB_CONFIG: configWith('amd64'), LAB_BOX_ARCH: 'arm64' })).toEqual(['amd64', 'amd64', 'amd64']);
  });

  it('refuses an architecture that is not amd64 or arm64', () => {
    const r = effectiveSettings({ LAB_CONFIG: join(repoRoot, 'lab.config.yaml'), LAB_BOX_ARCH: 'x86_64' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      'vagrant.boxArchitecture: must be auto, amd64 or arm64 (got "x86_64"; LAB_BOX_ARCH="x86_64")',
    );
  });

  it('vagrant validate accepts it on a Vagrant without box architectures', () => {
    const r = runVagrant(['validate'], { LAB_CONFIG: join(repoRoot, 'lab.config.yaml'), LAB_BOX_ARCH: 'arm64' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
