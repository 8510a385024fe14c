// The testbed itself: `up` is idempotent, `down` leaves nothing behind, and `down` still cleans up after
// an `up` that was killed half way (or whose state file is gone).
import { spawn } from 'node:child_process';
import { access, readFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pollUntil } from '../../../src/cluster/wait.ts';
import {
  AUTHORIZED_KEYS_DIR,
  BRIDGE,
  findAllTestbedSshd,
  isTestbedNetns,
  isTestbedVeth,
  listLinks,
  listNetns,
  REPO_ROOT,
  SUDOERS_FILE,
  testbedDown,
  testbedPaths,
  testbedStatus,
  testbedUp,
} from '../../testbed/index.ts';
import { requireRootLinux } from './testbed-fixture.ts';

const paths = testbedPaths();

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Everything the testbed could have left on the machine. */
async function leftovers(): Promise<string[]> {
  const found: string[] = [];
  found.push(...(await listNetns()).filter(isTestbedNetns).map((n) => `netns ${n}`));
  found.push(...(await listLinks()).filter((l) => l === BRIDGE || isTestbedVeth(l)).map((l) => `link ${l}`));
  found.push(...(await findAllTestbedSshd(paths)).map((pid) => `sshd pid ${pid}`));
  for (const path of [
    SUDOERS_FILE,
    AUTHORIZED_KEYS_DIR,
    paths.state,
    paths.inventory,
    '/etc/netns/master-node',
    '/etc/netns/c2-master-node',
  ])
    if (await exists(path)) found.push(path);
  return found;
}

beforeAll(async () => {
  requireRootLinux();
  await testbedDown();
});

afterAll(async () => {
  await testbedDown();
});

describe('testbed lifecycle', () => {
  test('up twice: the second only verifies (same sshd processes) and every host answers', async () => {
    const first = await testbedUp();
    const second = await testbedUp();
    expect(second.hosts.map((h) => h.sshdPid)).toEqual(first.hosts.map((h) => h.sshdPid));
    const status = await testbedStatus();
    expect(status.phase).toBe('up');
    expect(status.hosts.map((h) => [h.netns, h.answers])).toEqual([
      ['master-node', true],
      ['worker-node01', true],
      ['worker-node02', true],
    ]);
  });

  test('--clusters 2 adds c2-* hosts on .20-.22 with the lab hostnames; down leaves nothing', async () => {
    const info = await testbedUp({ clusters: 2 });
    expect(info.hosts.map((h) => `${h.netns}=${h.address}`)).toEqual([
      'master-node=192.168.57.10',
      'worker-node01=192.168.57.11',
      'worker-node02=192.168.57.12',
      'c2-master-node=192.168.57.20',
      'c2-worker-node01=192.168.57.21',
      'c2-worker-node02=192.168.57.22',
    ]);
    const status = await testbedStatus();
    expect(status.hosts.filter((h) => h.answers).map((h) => h.detail)).toContain('hostname master-node');
    expect(status.hosts.every((h) => h.answers)).toBe(true);
    const pids = info.hosts.map((h) => h.sshdPid);
    await testbedDown();
    expect(await leftovers()).toEqual([]);
    // No recorded sshd PID is still an sshd of the testbed (a reaped-late zombie has an empty cmdline).
    for (const pid of pids) {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      expect(cmdline).not.toContain(paths.dir);
    }
  });

  test('a killed `up` (SIGKILL half way) is cleaned by `down`', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/testbed/cli.ts', 'up', '--clusters', '3'],
      { cwd: REPO_ROOT, stdio: 'ignore' },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Kill it once some sshd runs, i.e. in the middle of bringing up nine hosts.
    await pollUntil(
      'the first testbed sshd of the background `up`',
      async () =>
        (await findAllTestbedSshd(paths)).length > 0
          ? { done: true, value: true }
          : { done: false, observed: 'no sshd yet' },
      { timeoutMs: 30_000, intervalMs: 10 },
    );
    child.kill('SIGKILL');
    await exited;
    expect((await leftovers()).length).toBeGreaterThan(0);
    await testbedDown();
    expect(await leftovers()).toEqual([]);
  });

  test('with state.json lost, `down` still finds and removes everything by name', async () => {
    await testbedUp({ clusters: 2 });
    await rm(paths.state);
    await testbedDown();
    expect(await leftovers()).toEqual([]);
  });
});
