// A real OpenSSH server that allows fewer sessions than the pool assumes (MaxSessions 3 vs 10): its
// "open failed" refusals are waited out and the limit is learned, so no command fails. A second sshd runs
// in master-node's namespace on port 2222 with a copy of that host's config; its config lives under the
// testbed directory, so `testbed down` removes it even if this file crashes.
import { spawn, type ChildProcess } from 'node:child_process';
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pollUntil } from '../../../src/cluster/wait.ts';
import { createSshPool, type SshPool } from '../../../src/ssh/pool.ts';
import type { SshTarget } from '../../../src/ssh/types.ts';
import { testbedDown } from '../../testbed/index.ts';
import { startTestbed, type Testbed } from './testbed-fixture.ts';

const PORT = 2222;
const MAX_SESSIONS = 3;
let bed: Testbed;
let sshd: ChildProcess | undefined;
let pool: SshPool | undefined;

/** master-node's sshd_config, moved to port 2222 with MaxSessions 3 and its own pid file. */
async function writeLimitedConfig(): Promise<{ file: string; address: string }> {
  const netns = 'master-node';
  const original = await readFile(bed.info.paths.sshdConfig(netns), 'utf8');
  const address = /^ListenAddress (\S+):22$/m.exec(original)?.[1];
  if (!address) throw new Error(`no ListenAddress in ${bed.info.paths.sshdConfig(netns)}`);
  const dir = bed.info.paths.hostDir(netns);
  const text = original
    .replace(/^ListenAddress .*$/m, `ListenAddress ${address}:${PORT}`)
    .replace(/^MaxSessions .*$/m, `MaxSessions ${MAX_SESSIONS}`)
    .replace(/^PidFile .*$/m, `PidFile ${join(dir, `sshd-${PORT}.pid`)}`);
  if (!text.includes(`MaxSessions ${MAX_SESSIONS}`))
    throw new Error('the testbed sshd_config has no MaxSessions');
  const file = join(dir, `sshd_config_${PORT}`);
  await writeFile(file, text, { mode: 0o600 });
  return { file, address };
}

beforeAll(async () => {
  bed = await startTestbed();
  const { file, address } = await writeLimitedConfig();
  const log = await open(join(bed.info.paths.hostDir('master-node'), `sshd-${PORT}.log`), 'a');
  sshd = spawn('ip', ['netns', 'exec', 'master-node', '/usr/sbin/sshd', '-D', '-e', '-f', file], {
    stdio: ['ignore', log.fd, log.fd],
  });
  await log.close();
  await pollUntil(
    `sshd on ${address}:${PORT} in master-node`,
    async () => {
      const ss = await execa('ip', ['netns', 'exec', 'master-node', 'ss', '-ltnH'], { reject: false });
      return ss.stdout.includes(`${address}:${PORT}`)
        ? { done: true, value: true }
        : { done: false, observed: ss.stdout.trim() || 'nothing listening' };
    },
    { timeoutMs: 10_000, intervalMs: 50 },
  );
  const base = bed.targets.find((t) => t.name === bed.target('master-node'));
  if (!base) throw new Error('no master-node target in the testbed inventory');
  // The testbed's known_hosts lists port 22 only; this check is about sessions, not host keys.
  const target: SshTarget = { ...base, name: 'limited', port: PORT, hostKey: { mode: 'ignore' } };
  pool = createSshPool([target], { maxSessionsPerHost: 10 });
});

afterAll(async () => {
  await pool?.close();
  if (sshd?.pid !== undefined && sshd.exitCode === null) {
    const exited = new Promise((resolve) => sshd?.once('exit', resolve));
    sshd.kill('SIGTERM');
    await exited;
  }
  await testbedDown();
});

describe('a real sshd with MaxSessions 3 behind a pool that assumes 10', () => {
  test('40 concurrent commands all succeed over one connection; the limit is learned', async () => {
    if (!pool) throw new Error('pool not set up');
    const p = pool;
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        p.run('limited', { script: `sleep 0.05; echo ${i}` }).then(
          (r) => (r.stdout === `${i}\n` ? 'ok' : `wrong output ${JSON.stringify(r.stdout)}`),
          (error: unknown) => (error instanceof Error ? error.message.split('\n')[0] : String(error)),
        ),
      ),
    );
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
    const stats = p.stats('limited');
    expect(stats.refusals).toBeGreaterThan(0);
    expect(stats.sessionLimit).toBeLessThanOrEqual(MAX_SESSIONS);
    expect(stats.connects).toBe(1);
  });
});
