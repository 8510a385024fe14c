// How the SSH pool fails against real sshd: a key the host does not accept, a host key that changed
// under the strict policy, an address where nothing exists. Each error names the host.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SshError } from '../../../src/ssh/errors.ts';
import { createSshPool } from '../../../src/ssh/pool.ts';
import type { SshTarget } from '../../../src/ssh/types.ts';
import { replaceHostKey, restoreHostKey, testbedDown, UNUSED_ADDRESS } from '../../testbed/index.ts';
import { startTestbed, type Testbed } from './testbed-fixture.ts';

let bed: Testbed;
let scratch: string;

beforeAll(async () => {
  bed = await startTestbed();
  scratch = await mkdtemp(join(tmpdir(), 'labkit-e2e-'));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
  await testbedDown();
});

function targetOf(hostname: string): SshTarget {
  const target = bed.targets.find((t) => t.name === bed.target(hostname));
  if (!target) throw new Error(`no target for ${hostname}`);
  return target;
}

async function failureOf(target: SshTarget): Promise<SshError> {
  const pool = createSshPool([target]);
  try {
    await pool.run(target.name, { argv: ['true'] });
  } catch (error) {
    if (error instanceof SshError) return error;
    throw error;
  } finally {
    await pool.close();
  }
  throw new Error(`${target.name}: expected the command to fail to connect`);
}

describe('SSH failures on the testbed', () => {
  test('a key the host does not know → an authentication error naming host and user', async () => {
    const wrongKey = join(scratch, 'wrong_ed25519');
    await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    const error = await failureOf({ ...targetOf('master-node'), identityFile: wrongKey });
    expect(error.kind).toBe('auth');
    expect(error.message).toContain(bed.target('master-node'));
    expect(error.message).toContain('"vagrant"');
  });

  test('a changed host key under the strict policy → refusal that says the key changed', async () => {
    await replaceHostKey('worker-node01');
    try {
      const error = await failureOf(targetOf('worker-node01'));
      expect(error.kind).toBe('host-key');
      expect(error.message).toContain(bed.target('worker-node01'));
      expect(error.message).toMatch(/has changed/);
      expect(error.message).toContain(bed.info.paths.knownHosts);
    } finally {
      await restoreHostKey('worker-node01');
    }
    // With the original key back, the same target connects again.
    const pool = createSshPool([targetOf('worker-node01')]);
    try {
      expect((await pool.run(bed.target('worker-node01'), { argv: ['hostname'] })).stdout.trim()).toBe(
        'worker-node01',
      );
    } finally {
      await pool.close();
    }
  });

  test('an unused testbed address → an unreachable/timeout error within the connect timeout', async () => {
    const connectTimeoutSec = 3;
    const ghost: SshTarget = {
      ...targetOf('master-node'),
      name: 'c1/ghost-node',
      host: UNUSED_ADDRESS,
      connectTimeoutSec,
    };
    const started = performance.now();
    const error = await failureOf(ghost);
    const elapsed = performance.now() - started;
    expect(['unreachable', 'timeout']).toContain(error.kind);
    expect(error.message).toContain('c1/ghost-node');
    expect(error.message).toContain(`${UNUSED_ADDRESS}:22`);
    expect(elapsed).toBeLessThan(connectTimeoutSec * 1000 + 1_500);
  });
});
