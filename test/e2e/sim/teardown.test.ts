// `testbed down` after `kill -9` of the simulator (issue 12 Safety): the pods' processes outlive their
// apiserver (as containers outlive a crashed kubelet), and `down` still leaves no pod process, pod network
// namespace or veth behind. Run as root under
// `flock /tmp/labkit-netlab.lock npx vitest run --project e2e test/e2e/sim/teardown.test.ts`.
import { execa } from 'execa';
import { findCgroups } from '../../../src/sim/runtime/cgroup.ts';
import { afterAll, expect, test } from 'vitest';
import { pollUntil } from '../../../src/cluster/wait.ts';
import { findApiservers } from '../../testbed/apiserver.ts';
import { testbedDown } from '../../testbed/index.ts';
import { isPodNetns } from '../../testbed/pods.ts';
import { startTestbed } from '../ssh/testbed-fixture.ts';

const podNamespaces = async (): Promise<string[]> =>
  (await execa('ip', ['-o', 'netns', 'list'])).stdout
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => isPodNetns(n));

const caliLinks = async (): Promise<string[]> => {
  const all = await execa(
    'sh',
    ['-c', 'for n in $(ip netns list | cut -d" " -f1); do ip -n "$n" -o link 2>/dev/null; done; ip -o link'],
    { reject: false },
  );
  return all.stdout.split('\n').filter((l) => /:\s+cali[0-9a-f]{11}[@:]/.test(l));
};

afterAll(async () => {
  await testbedDown();
});

test('kill -9 of the apiserver, then down: no pod process, namespace or veth is left', async () => {
  const bed = await startTestbed();
  const pool = bed.pool();
  const master = bed.target('master-node');
  try {
    await pool.run(master, {
      script:
        'kubectl create deployment sleepers --image=docker.io/busybox --replicas=3 -- sh -c \'trap "" TERM; sleep 3600\'',
    });
    await pollUntil(
      'three sleeper pods Running',
      async () => {
        const out = (await pool.exec(master, { script: 'kubectl get pods -l app=sleepers --no-headers' }))
          .stdout;
        const running = out.split('\n').filter((l) => /\sRunning\s/.test(l)).length;
        return running === 3 ? { done: true, value: running } : { done: false, observed: out };
      },
      { timeoutMs: 60_000, intervalMs: 300 },
    );
  } finally {
    await pool.close();
  }
  const pods = await podNamespaces();
  expect(pods.length).toBeGreaterThanOrEqual(3);
  const sleepers = (await execa('pgrep', ['-f', 'sleep 3600'], { reject: false })).stdout
    .split('\n')
    .filter(Boolean);
  expect(sleepers.length).toBeGreaterThanOrEqual(3);
  for (const pid of await findApiservers()) process.kill(pid, 'SIGKILL');
  await testbedDown();
  expect(await podNamespaces()).toEqual([]);
  expect(await caliLinks()).toEqual([]);
  expect(await findCgroups((name) => name.startsWith('lkpod-'))).toEqual([]);
  const left = (await execa('pgrep', ['-f', 'sleep 3600'], { reject: false })).stdout
    .split('\n')
    .filter(Boolean);
  expect(left.filter((pid) => sleepers.includes(pid))).toEqual([]);
}, 180_000);
