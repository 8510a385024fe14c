// What depends on where and how the project was checked out: VirtualBox VM names (global to the host user,
// so two checkouts must not collide) and CRLF line ends from a Git for Windows checkout.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { describeWithTools } from '../../helpers/with-tools.ts';
import {
  VAGRANTFILE_TOOLS,
  effectiveSettings,
  repoRoot,
  vagrantfilePath,
  type EffectiveMachine,
} from './run-ruby.ts';

vi.setConfig({ testTimeout: 60_000 });

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A second checkout: the Vagrantfile and scripts/provision copied (optionally with CRLF line ends). */
function checkout(crlf = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'labkit-checkout-'));
  made.push(dir);
  const convert = (text: string) => (crlf ? text.replace(/\n/g, '\r\n') : text);
  writeFileSync(join(dir, 'Vagrantfile'), convert(readFileSync(vagrantfilePath, 'utf8')));
  copyFileSync(join(repoRoot, 'lab.config.yaml'), join(dir, 'lab.config.yaml'));
  mkdirSync(join(dir, 'scripts/provision'), { recursive: true });
  for (const f of readdirSync(join(repoRoot, 'scripts/provision')))
    writeFileSync(
      join(dir, 'scripts/provision', f),
      convert(readFileSync(join(repoRoot, 'scripts/provision', f), 'utf8')),
    );
  return dir;
}

function machinesOf(dir: string): EffectiveMachine[] {
  const r = effectiveSettings({ LAB_CONFIG: join(dir, 'lab.config.yaml') }, join(dir, 'Vagrantfile'));
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.settings?.machines ?? [];
}

const vboxNames = (machines: EffectiveMachine[]): string[] =>
  machines.map((m) => String(m.providers.find((p) => p.name === 'virtualbox')?.settings['name']));

describeWithTools(VAGRANTFILE_TOOLS, 'Vagrantfile per checkout', () => {
  it('names VirtualBox VMs labkit-<node>-<checkout hash>, stable for one checkout', () => {
    const dir = checkout();
    const names = vboxNames(machinesOf(dir));
    expect(names).toHaveLength(3);
    for (const [i, node] of ['master-node', 'worker-node01', 'worker-node02'].entries())
      expect(names[i]).toMatch(new RegExp(`^labkit-${node}-[0-9a-f]{8}$`));
    expect(vboxNames(machinesOf(dir))).toEqual(names);
  });

  it('two checkouts get different VirtualBox names for the same nodes', () => {
    const a = vboxNames(machinesOf(checkout()));
    const b = vboxNames(machinesOf(checkout()));
    expect(a.every((name) => !b.includes(name))).toBe(true);
  });

  it('a CRLF checkout still sends LF-only scripts, the same as an LF checkout', () => {
    const lf = machinesOf(checkout());
    const crlf = machinesOf(checkout(true));
    const inline = (ms: EffectiveMachine[]) => ms.flatMap((m) => m.provisioners.map((p) => p.inline));
    expect(inline(crlf).length).toBeGreaterThan(0);
    for (const text of inline(crlf)) expect(text).not.toContain('\r');
    expect(inline(crlf)).toEqual(inline(lf));
  });
});
