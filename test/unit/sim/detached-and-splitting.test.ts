// Regressions: (1) a detached pod's main process (`kubectl run c --restart=Never -- sleep 3600`, the client
// pod every check creates) never holds up a kubectl call, with the default sleepScale, and the pod stays
// Running for the simulated duration of its command; (2) the pod shell does not field-split the value of an
// assignment (`v=$(printf 'p  q')`), while unquoted expansions in arguments and `for` lists still split.
import { describeWithTools } from '../../helpers/with-tools.ts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { bootstrapCluster } from '../../../src/sim/model/bootstrap.ts';
import { reconcile } from '../../../src/sim/model/controller.ts';
import { findPod } from '../../../src/sim/model/pods.ts';
import { createSimPki, startSimCluster, type SimCluster, type SimPki } from '../../helpers/sim-cluster.ts';
import { SEED_NODES } from './helpers.ts';

describeWithTools(['real-kubectl'], 'the real kubectl against the simulated apiserver', () => {
  let pki: SimPki;
  let cluster: SimCluster;

  async function k(argv: string[]): Promise<{ out: string; err: string; code: number | null }> {
    const r = await cluster.kubectl(argv);
    return { out: r.stdout, err: r.stderr, code: r.exitCode };
  }

  /** The pod's own command has finished (it runs asynchronously, in simulated time). */
  async function scriptDone(name: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (findPod(cluster.server.cluster.state, 'default', name)?.runtime.script?.state === 'done') return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`pod ${name}: its command did not finish`);
  }

  beforeAll(async () => {
    pki = await createSimPki();
  }, 60_000);
  afterAll(async () => pki.remove());
  beforeEach(async () => {
    // The default sleepScale (1 %) and timeoutScale (100 %): the bug only shows with real waits on.
    cluster = await startSimCluster(
      pki,
      bootstrapCluster(SEED_NODES, { config: { readyDelayMs: 0, terminationDelayMs: 0 } }),
    );
  });
  afterEach(async () => cluster.close());

  describe('detached pods do not block kubectl', () => {
    test('`run -- sleep 3600` then the next kubectl calls return at once; the pod stays Running 1 h', async () => {
      expect(cluster.server.cluster.state.config.sleepScale).toBeGreaterThan(0);
      const t0 = Date.now();
      expect((await k(['run', 'c', '--image=busybox', '--restart=Never', '--', 'sleep', '3600'])).out).toBe(
        'pod/c created\n',
      );
      const r = await k(['get', 'pod', 'c', '--no-headers']);
      expect(r.out).toMatch(/^c\s+1\/1\s+Running\s+0\s+/);
      const e = await k(['exec', 'c', '--', 'sh', '-c', 'echo ok']);
      expect(e.out).toBe('ok\n');
      // 36 s if the simulated sleep waited in real time (3600 s × 1 %); bound loose for loaded CI.
      expect(Date.now() - t0).toBeLessThan(8000);

      // The main process "runs until" startAt + 3600 simulated seconds: Running before, Completed after.
      await scriptDone('c');
      const state = structuredClone(cluster.server.cluster.state);
      const pod = findPod(state, 'default', 'c');
      expect(pod?.runtime.script).toMatchObject({ state: 'done', durationMs: 3_600_000, exitCode: 0 });
      const startAt = pod?.runtime.startAt ?? 0;
      reconcile(state, startAt + 3_599_000);
      expect(findPod(state, 'default', 'c')?.object.status.phase).toBe('Running');
      reconcile(state, startAt + 3_600_000);
      expect(findPod(state, 'default', 'c')?.object.status.phase).toBe('Succeeded');
    });

    test('a detached loop that sleeps forever is cut off in simulated time, not after seconds of waiting', async () => {
      const t0 = Date.now();
      await k([
        'run',
        'loop',
        '--image=busybox',
        '--restart=Never',
        '--',
        'sh',
        '-c',
        'echo start; while true; do sleep 1; done',
      ]);
      const r = await k(['get', 'pod', 'loop', '--no-headers']);
      expect(r.out).toMatch(/^loop\s+1\/1\s+Running\s+0\s+/);
      expect(Date.now() - t0).toBeLessThan(8000);
      await scriptDone('loop');
      expect((await k(['logs', 'loop'])).out).toBe('start\n');
    });

    test('a wget timeout in a detached pod does not wait in real time either', async () => {
      const t0 = Date.now();
      await k([
        'run',
        'w',
        '--image=busybox',
        '--restart=Never',
        '--',
        'wget',
        '-q',
        '-T',
        '5',
        '-O',
        '-',
        'http://172.16.99.99',
      ]);
      await k(['get', 'pods']);
      expect(Date.now() - t0).toBeLessThan(8000);
      await scriptDone('w');
      expect((await k(['logs', 'w'])).out).toContain('wget: download timed out');
    });
  });

  describe('pod shell: no field splitting where POSIX does none', () => {
    const cases: [string, string][] = [
      ['v=$(printf "p  q"); echo "$v"', 'p  q\n'],
      ['v=`printf "p  q"`; echo "$v"', 'p  q\n'],
      ['v="$(printf "p  q")"; echo "$v"', 'p  q\n'],
      ['r="a  b"; echo "$r"', 'a  b\n'],
      ['echo "$(echo "x  y")"', 'x  y\n'],
      ['a="1  2"; b=$a; echo "$b"', '1  2\n'],
      ['v=$(printf "l1\\n\\nl3\\n\\n"); echo "$v"', 'l1\n\nl3\n'],
      ['export e=$(printf "p  q"); echo "$e"; printenv e', 'p  q\np  q\n'],
      ['x=$(printf "p  q") sh -c \'echo "$x"\'', 'p  q\n'],
      ['printf "a  b" > /tmp/f; v=$(cat /tmp/f); echo "[$v]"', '[a  b]\n'],
      // Where POSIX does split: unquoted arguments and `for` lists.
      ['v=$(printf "p  q"); echo $v', 'p q\n'],
      ['for w in $(printf "a  b\\nc"); do echo "<$w>"; done', '<a>\n<b>\n<c>\n'],
      ['v="1 2   3"; for w in $v; do echo "<$w>"; done', '<1>\n<2>\n<3>\n'],
    ];
    test.each(cases)('%s', async (script, expected) => {
      // A server pod (no main-process script), so these cases test only the shell.
      await k(['run', 'sh1', '--image=docker.io/alicek106/rr-test:echo-hostname']);
      await k(['wait', '--for=condition=Ready', 'pod/sh1', '--timeout=20s']);
      const r = await k(['exec', 'sh1', '--', 'sh', '-c', script]);
      expect(r.err).toBe('');
      expect(r.out).toBe(expected);
    });
  });
});
