import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { selectTarget } from '../../../src/commands/lab-target.ts';
import { readCurrentLab } from '../../../src/sim/provider.ts';

const CLASS = fileURLToPath(new URL('../../fixtures/inventory/class.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'labkit-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('target selection', () => {
  test('--inventory --target maps lab host names to student/host target names', async () => {
    const selected = await selectTarget({ inventory: CLASS, target: 'alice', stateDir: dir });
    try {
      expect(selected.target.name).toBe('alice');
      expect(selected.target.resolveHost('master-node')).toBe('alice/master-node');
      expect(selected.target.resolveHost('worker-node02')).toBe('alice/worker-node02');
      expect(selected.memoryId).toBe(`${CLASS}#alice`);
    } finally {
      await selected.target.close();
    }
  });

  test('a host the student lacks is a usage error naming the inventory and what it has', async () => {
    const selected = await selectTarget({ inventory: CLASS, target: 'bob', stateDir: dir });
    try {
      expect(() => selected.target.resolveHost('worker-node01')).toThrow(
        `${CLASS}: target bob has no host worker-node01 (it has master-node); add it under workers`,
      );
    } finally {
      await selected.target.close();
    }
  });

  test('unknown or hostile target ids, and --target without --inventory, are usage errors', async () => {
    await expect(selectTarget({ inventory: CLASS, target: '$(id)', stateDir: dir })).rejects.toMatchObject({
      exitCode: 2,
      message: `${CLASS}: no target "$(id)"; the targets are alice, bob, chris`,
    });
    await expect(selectTarget({ inventory: CLASS, stateDir: dir })).rejects.toThrow(
      `${CLASS} lists 3 targets (alice, bob, chris): choose one with --target ID`,
    );
    await expect(selectTarget({ target: 'alice', stateDir: dir })).rejects.toThrow(
      '--target needs --inventory FILE (the class inventory that defines it)',
    );
  });

  test('current-lab.json makes the simulated lab the default target; a broken one says how to fix it', async () => {
    const state = join(dir, 'state');
    expect(await readCurrentLab(state)).toBeUndefined();
    const file = join(dir, 'current-lab.json');
    writeFileSync(file, JSON.stringify({ provider: 'simulated', inventory: CLASS, target: 'chris' }));
    const selected = await selectTarget({ stateDir: dir });
    try {
      expect(selected.target.resolveHost('cp-1')).toBe('chris/cp-1');
      expect(selected.description).toBe(`the simulated lab (chris from ${CLASS})`);
    } finally {
      await selected.target.close();
    }
    writeFileSync(file, JSON.stringify({ provider: 'vagrant', inventory: CLASS, target: 'chris' }));
    await expect(readCurrentLab(dir)).rejects.toThrow(
      `${file}: provider: Invalid input: expected "simulated"; remove it or run \`npm run lab:up -- --provider simulated\` again`,
    );
    rmSync(file);
  });
});
