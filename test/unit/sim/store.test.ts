// The state file: what is written reads back; a damaged file is refused
// with a message naming it and the fix.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bootstrapCluster } from '../../../src/sim/model/bootstrap.ts';
import { readStateFile, writeStateFile } from '../../../src/sim/store.ts';
import { SEED_NODES } from './helpers.ts';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'labkit-sim-store-'));
  file = join(dir, 'state.json');
  await writeStateFile(file, bootstrapCluster(SEED_NODES));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the state file', () => {
  test('a written state reads back the same', async () => {
    const state = bootstrapCluster(SEED_NODES);
    await writeStateFile(file, state);
    expect(await readStateFile(file)).toEqual(state);
  });

  test('a state file that fails validation is refused, naming the file, the key and the fix', async () => {
    writeFileSync(file, JSON.stringify({ version: 1, nodes: 'x' }));
    await expect(readStateFile(file)).rejects.toThrow(new RegExp(`${file}: .*recreate it with testbed up`));
  });
});
