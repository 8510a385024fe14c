// labkit's SSH pool against real OpenSSH servers on the testbed: names, concurrency, timeouts that leave
// nothing behind, and a host whose sshd dies mid-command and comes back.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pollUntil } from '../../../src/cluster/wait.ts';
import { SshError } from '../../../src/ssh/errors.ts';
import type { SshPool } from '../../../src/ssh/pool.ts';
import { crashHostSshd, restartHostSshd, testbedDown } from '../../testbed/index.ts';
import { pgrepInHost, startTestbed, type Testbed } from './testbed-fixture.ts';

const HOSTS = ['master-node', 'worker-node01', 'worker-node02'];
let bed: Testbed;
let pool: SshPool;

beforeAll(async () => {
  bed = await startTestbed();
  pool = bed.pool();
});

afterAll(async () => {
  await pool?.close();
  await testbedDown();
});

describe('the SSH pool on the testbed', () => {
  test('`hostname` on each of the three hosts returns that host name', async () => {
    const names = await Promise.all(HOSTS.map((h) => pool.run(bed.target(h), { argv: ['hostname'] })));
    expect(names.map((r) => r.stdout.trim())).toEqual(HOSTS);
    expect(names.map((r) => r.host)).toEqual(HOSTS.map((h) => bed.target(h)));
  });

  test('sudo works without a password on a testbed host', async () => {
    const result = await pool.run(bed.target('master-node'), { argv: ['id', '-u'] }, { sudo: true });
    expect(result.stdout.trim()).toBe('0');
  });

  test('50 concurrent commands on one host all succeed over one connection, within MaxSessions', async () => {
    const host = bed.target('worker-node01');
    const before = pool.stats(host).connects;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => pool.run(host, { script: `sleep 0.1; echo ${i}` })),
    );
    expect(results.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    const stats = pool.stats(host);
    expect(stats.connects - before).toBeLessThanOrEqual(1);
    expect(stats.peakChannels).toBeGreaterThan(1);
    expect(stats.peakChannels).toBeLessThanOrEqual(10);
  });

  test('3 hosts × 100 concurrent commands: none fails (refused channels wait), one connection per host', async () => {
    const hosts = HOSTS.map((h) => bed.target(h));
    const before = hosts.map((h) => pool.stats(h).connects);
    const outcomes = await Promise.all(
      hosts.flatMap((host) =>
        Array.from({ length: 100 }, (_, i) =>
          pool.run(host, { argv: ['echo', String(i)] }).then(
            (r) => (r.stdout === `${i}\n` ? 'ok' : `${host}: wrong output ${JSON.stringify(r.stdout)}`),
            (error: unknown) => (error instanceof Error ? error.message.split('\n')[0] : String(error)),
          ),
        ),
      ),
    );
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
    expect(hosts.map((h) => pool.stats(h).connects)).toEqual(before.map((n) => Math.max(n, 1)));
    for (const host of hosts) expect(pool.stats(host).peakChannels).toBeLessThanOrEqual(10);
  });

  test('2000 sequential commands on one host: none fails, listeners and channels do not grow', async () => {
    const host = bed.target('master-node');
    await pool.run(host, { argv: ['true'] });
    const before = pool.diagnostics(host);
    const connects = pool.stats(host).connects;
    for (let i = 0; i < 2000; i++) {
      const result = await pool.exec(host, { argv: ['true'] });
      if (result.exitCode !== 0) throw new Error(`command ${i} of 2000 ended with ${JSON.stringify(result)}`);
    }
    expect(pool.diagnostics(host)).toEqual(before);
    expect(pool.stats(host).connects).toBe(connects);
  }, 120_000);

  test('a hanging command hits its timeout and leaves nothing running on the host', async () => {
    const marker = `labkit-e2e-hang-${randomUUID()}`;
    const result = await pool.exec(
      bed.target('master-node'),
      { script: `bash -c 'while :; do sleep 0.2; done' ${marker}` },
      { timeoutMs: 1_500 },
    );
    expect(result.timedOut).toBe(true);
    expect(result.durationMs).toBeLessThan(1_500 + 6_000);
    const left = await pollUntil(
      `no process with ${marker} on master-node`,
      async () => {
        const pids = await pgrepInHost('master-node', marker);
        return pids.length === 0
          ? { done: true, value: pids }
          : { done: false, observed: `pids ${pids.join(' ')}` };
      },
      { timeoutMs: 3_000, intervalMs: 100 },
    );
    expect(left).toEqual([]);
    // And the connection is still usable.
    expect((await pool.run(bed.target('master-node'), { argv: ['true'] })).exitCode).toBe(0);
  });

  test('without the remote backstop, a timeout still kills the group (sshd made the shell its leader)', async () => {
    const marker = `labkit-e2e-nobackstop-${randomUUID()}`;
    const result = await pool.exec(
      bed.target('master-node'),
      { script: `bash -c 'while :; do sleep 0.2; done' ${marker}` },
      { timeoutMs: 1_000, backstop: false },
    );
    expect(result.timedOut).toBe(true);
    const left = await pollUntil(
      `no process with ${marker} on master-node`,
      async () => {
        const pids = await pgrepInHost('master-node', marker);
        return pids.length === 0
          ? { done: true, value: pids }
          : { done: false, observed: `pids ${pids.join(' ')}` };
      },
      { timeoutMs: 3_000, intervalMs: 100 },
    );
    expect(left).toEqual([]);
  });

  test('sshd killed mid-command: a clear error naming the host; after a restart the next command reconnects', async () => {
    const host = bed.target('worker-node02');
    await pool.run(host, { argv: ['true'] });
    const connectsBefore = pool.stats(host).connects;
    const marker = `labkit-e2e-crash-${randomUUID()}`;
    const running = pool.run(host, { script: `bash -c 'sleep 30' ${marker}` }, { timeoutMs: 60_000 });
    const settled = running.then(
      () => undefined,
      (error: unknown) => error,
    );
    await pollUntil(
      `${marker} running on worker-node02`,
      async () =>
        (await pgrepInHost('worker-node02', marker)).length > 0
          ? { done: true, value: true }
          : { done: false, observed: 'not yet' },
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    await crashHostSshd('worker-node02');

    const error = await settled;
    expect(error).toBeInstanceOf(SshError);
    const sshError = error as SshError;
    expect(sshError.host).toBe(host);
    expect(sshError.kind).toBe('connection-lost');
    expect(sshError.commandStarted).toBe(true);
    expect(sshError.message).toContain(host);
    expect(sshError.message).toContain('192.168.57.12:22');

    // While sshd is down: refused, naming the host.
    await expect(pool.run(host, { argv: ['true'] })).rejects.toMatchObject({
      name: 'SshError',
      host,
      kind: 'refused',
    });

    await restartHostSshd('worker-node02');
    const result = await pool.run(host, { argv: ['hostname'] });
    expect(result.stdout.trim()).toBe('worker-node02');
    expect(pool.stats(host).connects).toBeGreaterThan(connectsBefore);
  });
});
