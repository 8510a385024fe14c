// Real pods on the testbed (issue 12): through the real kubectl over real SSH, a busybox pod is a real
// process tree (PID 1, real pipes, real time) in its own namespaces with a Calico-shaped eth0, and traffic
// goes through the kube-proxy rules and the cluster DNS server as packets; `kubectl exec -it` and `run -it`
// in a real terminal (tmux) with a kubectl on this machine (the cluster's admin.conf). Run as root under
// `flock /tmp/labkit-netlab.lock npx vitest run --project e2e test/e2e/sim/pods.test.ts`.
import { connect } from 'node:net';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { pollUntil } from '../../../src/cluster/wait.ts';
import { judgeRandomSpread } from '../../../src/checks/spread-stats.ts';
import type { SshPool } from '../../../src/ssh/pool.ts';
import { simulatedKubeconfig, testbedDown } from '../../testbed/index.ts';
import { testKubectl } from '../../helpers/sim-cluster.ts';
import { openTerminal, type Terminal } from '../../helpers/tmux-terminal.ts';
import { setClusterConfig } from '../../testbed/faults.ts';
import { startTestbed, type Testbed } from '../ssh/testbed-fixture.ts';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hostname-deployment
spec:
  replicas: 3
  selector:
    matchLabels:
      app: webserver
  template:
    metadata:
      labels:
        app: webserver
    spec:
      containers:
      - name: my-webserver
        image: docker.io/alicek106/rr-test:echo-hostname
        ports:
        - containerPort: 80
`;

const SERVICES = `apiVersion: v1
kind: Service
metadata:
  name: hostname-service-clusterip
spec:
  selector:
    app: webserver
  ports:
  - name: web-port
    port: 8080
    targetPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: hostname-service-nodeport
spec:
  type: NodePort
  selector:
    app: webserver
  ports:
  - port: 8080
    targetPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: nobody-home
spec:
  selector:
    app: nobody
  ports:
  - port: 80
`;

let bed: Testbed;
let pool: SshPool;
let master: string;

async function sh(
  script: string,
  timeoutMs = 60_000,
): Promise<{ stdout: string; stderr: string; exitCode: number | null }> {
  return pool.exec(master, { script }, { timeoutMs });
}

/** `kubectl exec client -- sh -c SCRIPT` (the script as one argv word: no quoting by hand). */
async function inPod(
  script: string,
  timeoutMs = 60_000,
): Promise<{ stdout: string; stderr: string; exitCode: number | null }> {
  return pool.exec(master, { argv: ['kubectl', 'exec', 'client', '--', 'sh', '-c', script] }, { timeoutMs });
}

const jsonpath = async (what: string): Promise<string> => (await sh(`kubectl get ${what}`)).stdout.trim();

/** The pod's events as REASON:MESSAGE, oldest first. */
const events = async (pod: string): Promise<string[]> =>
  (
    await jsonpath(
      `events --field-selector involvedObject.name=${pod} --sort-by=.metadata.creationTimestamp -o jsonpath='{range .items[*]}{.reason}:{.message}{"\\n"}{end}'`,
    )
  )
    .split('\n')
    .filter((l) => l && !l.startsWith('Scheduled:'));

beforeAll(async () => {
  bed = await startTestbed();
  pool = bed.pool();
  master = bed.target('master-node');
  await setClusterConfig({ imagePullDelayMs: 300, terminationDelayMs: 1000 });
  await pool.run(
    master,
    { argv: ['kubectl', 'apply', '-f', '-'] },
    { stdin: DEPLOYMENT + '---\n' + SERVICES },
  );
  expect(
    (await sh('kubectl run client --image=docker.io/busybox --restart=Never -- sleep 3600')).exitCode,
  ).toBe(0);
  const rollout = await sh('kubectl rollout status deployment/hostname-deployment --timeout=60s');
  expect(rollout.stdout).toContain('successfully rolled out');
  const wait = await sh('kubectl wait --for=condition=Ready pod/client --timeout=60s');
  expect(wait.exitCode, wait.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  await pool?.close();
  await testbedDown();
});

describe('a busybox pod is a real process tree', () => {
  test('wget to a ClusterIP without endpoints: connection refused, exit 1 (not a crash)', async () => {
    const ip = await jsonpath("svc nobody-home -o jsonpath='{.spec.clusterIP}'");
    const r = await inPod(`wget -q -T 2 -O - http://${ip}:80`);
    expect(r.stderr).toContain(`wget: can't connect to remote host (${ip}): Connection refused`);
    expect(r.exitCode).toBe(1);
  });

  test('pipes run concurrently: yes | head -n 3 ends', async () => {
    const r = await inPod('yes | head -n 3', 10_000);
    expect(r.stdout).toBe('y\ny\ny\n');
  });

  test('sleep 2 takes about 2 s of real time', async () => {
    const started = performance.now();
    const r = await inPod('sleep 2');
    const ms = performance.now() - started;
    expect(r.exitCode).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(1900);
    expect(ms).toBeLessThan(5000);
  });

  test('sh functions and case work', async () => {
    const r = await inPod('f() { case "$1" in a*) echo "A:$1";; *) echo "other:$1";; esac; }; f abc; f x');
    expect(r.stdout).toBe('A:abc\nother:x\n');
  });

  test('ps shows the container command as PID 1; the hostname is the pod name', async () => {
    const r = await inPod('ps; hostname');
    expect(r.stdout).toMatch(/^\s*1\s+\S+\s+.*sleep 3600\s*$/m);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('client');
  });

  test('ip a: eth0 with mtu 1480 and a /32 from 172.16.0.0/16; the default route via 169.254.1.1', async () => {
    const podIp = await jsonpath("pod client -o jsonpath='{.status.podIP}'");
    const r = await inPod('ip a; ip route');
    expect(r.stdout).toMatch(/eth0@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP(,M-DOWN)?> mtu 1480 /);
    expect(r.stdout).toContain(`inet ${podIp}/32 `);
    expect(podIp).toMatch(/^172\.16\.\d+\.\d+$/);
    expect(r.stdout).toContain('default via 169.254.1.1 dev eth0');
  });

  test('/etc/resolv.conf as the kubelet writes it', async () => {
    const r = await inPod('cat /etc/resolv.conf');
    expect(r.stdout).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 172.17.0.10\noptions ndots:5\n',
    );
  });

  test("the seed's while-loop, interrupted after 5 s, printed about one line per second", async () => {
    const r = await pool.exec(
      master,
      {
        argv: [
          'timeout',
          '-s',
          'INT',
          '5',
          'kubectl',
          'exec',
          'client',
          '--',
          'sh',
          '-c',
          'while true; do wget -q -O - http://hostname-service-clusterip:8080 | grep Hello; sleep 1; done',
        ],
      },
      { timeoutMs: 30_000 },
    );
    const lines = r.stdout.split('\n').filter((l) => l.includes('Hello'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.length).toBeLessThanOrEqual(6);
    for (const l of lines) expect(l).toMatch(/<p>Hello, {2}hostname-deployment-\S+<\/p>/);
  });
});

describe('traffic through the real rules', () => {
  test('3000 requests by ClusterIP pass the chi-squared test', async () => {
    const ip = await jsonpath("svc hostname-service-clusterip -o jsonpath='{.spec.clusterIP}'");
    const r = await inPod(
      `i=0; while [ $i -lt 3000 ]; do wget -q -O - http://${ip}:8080 | grep -o 'Hello,  [^<]*'; i=$((i+1)); done`,
      240_000,
    );
    const counts = new Map<string, number>();
    for (const line of r.stdout.split('\n').filter(Boolean)) counts.set(line, (counts.get(line) ?? 0) + 1);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(3000);
    expect(counts.size).toBe(3);
    expect(judgeRandomSpread([...counts.values()]).ok).toBe(true);
  }, 300_000);

  test("from master-node's own shell: the ClusterIP and the NodePort on every node answer; the name does not resolve", async () => {
    const ip = await jsonpath("svc hostname-service-clusterip -o jsonpath='{.spec.clusterIP}'");
    const nodePort = await jsonpath("svc hostname-service-nodeport -o jsonpath='{.spec.ports[0].nodePort}'");
    const byIp = await pool.exec(master, { argv: ['wget', '-q', '-T', '5', '-O', '-', `http://${ip}:8080`] });
    expect(byIp.stdout).toMatch(/<p>Hello, {2}hostname-deployment-/);
    for (const host of bed.info.hosts) {
      const r = await pool.exec(master, {
        argv: ['wget', '-q', '-T', '5', '-O', '-', `http://${host.address}:${nodePort}`],
      });
      expect(r.stdout, `NodePort on ${host.address}`).toMatch(/<p>Hello, {2}hostname-deployment-/);
    }
    const byName = await pool.exec(master, {
      argv: ['wget', '-q', '-T', '3', '-t', '1', '-O', '-', 'http://hostname-service-clusterip:8080'],
    });
    expect(byName.exitCode).not.toBe(0);
  });

  test("the host's guard: a connect from the host namespace to a ClusterIP is refused at once, nothing leaves", async () => {
    const ip = await jsonpath("svc hostname-service-clusterip -o jsonpath='{.spec.clusterIP}'");
    const route = await execa('ip', ['route', 'get', ip], { reject: false });
    expect(route.stderr + route.stdout).toMatch(/unreachable|No route to host/);
    const started = performance.now();
    const socket = connect({ host: ip, port: 8080, timeout: 3000 });
    const code = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('timeout', () => resolve('timeout'));
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    socket.destroy();
    expect(code).toBe('EHOSTUNREACH');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test('after kubectl delete pod the deleted pod never answers; its replacement does', async () => {
    const names = async (): Promise<string[]> =>
      (await jsonpath("pod -l app=webserver -o jsonpath='{.items[*].metadata.name}'"))
        .split(' ')
        .filter(Boolean);
    const before = await names();
    const victim = before[0] ?? '';
    expect((await sh(`kubectl delete pod ${victim}`)).stdout).toBe(`pod "${victim}" deleted\n`);
    const after = await pollUntil(
      'a ready replacement',
      async () => {
        const ready = (
          await jsonpath(
            `pod -l app=webserver -o jsonpath='{range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}'`,
          )
        )
          .split('\n')
          .filter((l) => l.endsWith(' True'))
          .map((l) => l.split(' ')[0] ?? '');
        return ready.length === 3 && !ready.includes(victim)
          ? { done: true, value: ready }
          : { done: false, observed: ready.join(' ') };
      },
      { timeoutMs: 30_000, intervalMs: 300 },
    );
    await pollUntil(
      'the endpoints without the deleted pod',
      async () => {
        const eps = await jsonpath(
          "endpoints hostname-service-clusterip -o jsonpath='{.subsets[*].addresses[*].ip}'",
        );
        return eps.split(' ').length === 3 ? { done: true, value: eps } : { done: false, observed: eps };
      },
      { timeoutMs: 20_000, intervalMs: 300 },
    );
    const r = await inPod(
      "i=0; while [ $i -lt 60 ]; do wget -q -O - http://hostname-service-clusterip:8080 | grep -o 'Hello,  [^<]*'; i=$((i+1)); done",
      120_000,
    );
    const answered = new Set(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace('Hello,  ', '')),
    );
    expect(answered.has(victim)).toBe(false);
    expect(answered).toEqual(new Set(after));
    // The replacement's node already holds the image (IfNotPresent: the tag is not latest).
    const fresh = after.find((n) => !before.includes(n)) ?? '';
    expect(await events(fresh)).toEqual([
      'Pulled:Container image "docker.io/alicek106/rr-test:echo-hostname" already present on machine',
      'Created:Created container: my-webserver',
      'Started:Started container my-webserver',
    ]);
  }, 120_000);
});

describe('pods through kubectl run, logs and exec', () => {
  test('a detached pod: its output in kubectl logs, then Completed; restartPolicy Never', async () => {
    expect(
      (
        await sh(
          `kubectl run hello --image=docker.io/busybox --restart=Never -- sh -c 'echo "hi from $HOSTNAME"; sleep 0.2; echo oops >&2; sleep 0.2; echo bye'`,
        )
      ).exitCode,
    ).toBe(0);
    const wait = await sh("kubectl wait --for=jsonpath='{.status.phase}'=Succeeded pod/hello --timeout=30s");
    expect(wait.stdout).toBe('pod/hello condition met\n');
    // Both streams on kubectl's stdout: the kubelet's log endpoint has one response. (The sleeps order the
    // lines: two pipes written within one read of the shim come out stdout first, as with conmon.)
    expect((await sh('kubectl logs hello')).stdout).toBe('hi from hello\noops\nbye\n');
    expect((await sh('kubectl logs hello --tail=1')).stdout).toBe('bye\n');
    expect((await sh('kubectl logs hello --limit-bytes=5')).stdout).toBe('hi fr');
    const stamped = (await sh('kubectl logs hello --timestamps')).stdout.split('\n');
    expect(stamped[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z oops$/);
    expect((await sh('kubectl logs hello --since-time=2099-01-01T00:00:00Z')).stdout).toBe('');
    expect((await sh('kubectl logs hello --since=1h')).stdout).toBe('hi from hello\noops\nbye\n');
    expect((await sh('kubectl get pod hello')).stdout).toMatch(/^hello\s+0\/1\s+Completed\s+0\s/m);
  });

  test('a crashing pod restarts with back-off (CrashLoopBackOff); an unknown image is ErrImagePull/ImagePullBackOff', async () => {
    await sh("kubectl run crash --image=docker.io/busybox -- sh -c 'echo boom; exit 3'");
    await sh('kubectl run nope --image=docker.io/library/no-such-image:1');
    const crash = await pollUntil(
      'crash in CrashLoopBackOff',
      async () => {
        const row = (await sh('kubectl get pod crash --no-headers')).stdout;
        // CrashLoopBackOff, not Error: the kubelet records BackOff when it syncs the pod in back-off.
        return /CrashLoopBackOff/.test(row) && /^[1-9]\d*$/.test(row.split(/\s+/)[3] ?? '')
          ? { done: true, value: row }
          : { done: false, observed: row };
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(crash).toMatch(/^crash\s+0\/1\s+/);
    expect((await sh('kubectl logs crash --previous')).stdout).toBe('boom\n');
    const nope = await pollUntil(
      'nope in ImagePullBackOff',
      async () => {
        const row = (await sh('kubectl get pod nope --no-headers')).stdout;
        return /ImagePullBackOff/.test(row) ? { done: true, value: row } : { done: false, observed: row };
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(nope).toMatch(/^nope\s+0\/1\s+ImagePullBackOff\s+0\s/);
    const nopeEvents = await events('nope');
    for (const e of [
      'Pulling:Pulling image "docker.io/library/no-such-image:1"',
      'Failed:Error: ErrImagePull',
      'BackOff:Back-off pulling image "docker.io/library/no-such-image:1"',
      'Failed:Error: ImagePullBackOff',
    ])
      expect(nopeEvents).toContain(e);
    const uid = await jsonpath("pod crash -o jsonpath='{.metadata.uid}'");
    // busybox without a tag is :latest: imagePullPolicy Always, a pull on every start.
    expect(await events('crash')).toEqual(
      expect.arrayContaining([
        'Pulling:Pulling image "docker.io/busybox"',
        expect.stringMatching(
          /^Pulled:Successfully pulled image "docker\.io\/busybox" in \d+ms \(\d+ms including waiting\)\. Image size: \d+ bytes\.$/,
        ),
        `BackOff:Back-off restarting failed container crash in pod crash_default(${uid})`,
      ]),
    );
    await sh('kubectl delete pod crash nope --grace-period=0 --force');
  }, 90_000);

  test('exec exit codes, run -i --rm with a script on stdin', async () => {
    const exec = await sh("kubectl exec client -- sh -c 'hostname; exit 3'");
    expect(exec.stdout).toBe('client\n');
    expect(exec.stderr).toContain('command terminated with exit code 3');
    expect(exec.exitCode).toBe(3);
    const run = await pool.exec(
      master,
      {
        argv: [
          'kubectl',
          'run',
          'tmp',
          '--image=docker.io/busybox',
          '--restart=Never',
          '--rm',
          '-i',
          '--',
          'sh',
        ],
      },
      // `exit`: the runtime keeps the stdin FIFO open read-write, so a stdinOnce container never sees EOF.
      { stdin: 'echo from stdin; hostname; exit\n', timeoutMs: 60_000 },
    );
    expect(run.stdout).toBe('from stdin\ntmp\npod "tmp" deleted\n');
  });
});

describe('kubectl exec and run in a terminal (tmux; kubectl on this machine with admin.conf)', () => {
  let terminal: Terminal | undefined;
  let kubectl: string;
  const term = async (...args: string[]): Promise<Terminal> =>
    openTerminal([kubectl, ...args], { env: { KUBECONFIG: simulatedKubeconfig(1), HOME: '/root' } });

  // Debian's busybox asks the terminal for the cursor position (ESC[6n) with each prompt; its answer goes
  // back through kubectl and the stream. Keys typed within milliseconds of the first prompt were lost in
  // a run, so the tests wait briefly, as a person would, before typing.
  const settled = (): Promise<void> => new Promise((r) => setTimeout(r, 500));

  beforeAll(async () => {
    kubectl = await testKubectl();
  });
  afterEach(async () => {
    await terminal?.close();
    terminal = undefined;
  });

  test('exec -it POD -- sh: the prompt (no banner, as docker.io/busybox), a command, the terminal size, exit 5', async () => {
    terminal = await term('exec', '-it', 'client', '--', 'sh');
    const first = await terminal.waitFor((s) => s.endsWith('/ #'), 'the prompt');
    expect(first).toBe('/ #');
    await settled();
    await terminal.type('echo hello $((6*7))');
    await terminal.press('Enter');
    const screen = await terminal.waitFor((s) => /hello 42\n\/ #$/.test(s), 'the output and a new prompt');
    expect(screen).toBe('/ # echo hello $((6*7))\nhello 42\n/ #');
    // kubectl sends the terminal's size at start and on every change (the resize channel).
    await terminal.type('stty size');
    await terminal.press('Enter');
    await terminal.waitFor((s) => /\n30 100\n\/ #$/.test(s), 'the first terminal size');
    await terminal.resize(120, 40);
    await terminal.type('stty size');
    await terminal.press('Enter');
    await terminal.waitFor((s) => /\n40 120\n\/ #$/.test(s), 'the new terminal size');
    await terminal.type('exit 5');
    await terminal.press('Enter');
    const end = await terminal.waitFor((s) => s.includes('[exit'), 'kubectl to end');
    expect(end.split('\n').slice(-2)).toEqual(['command terminated with exit code 5', '[exit 5]']);
  }, 60_000);

  test('backspace erases, Ctrl-C drops the line, Ctrl-C interrupts a foreground sleep, Ctrl-D leaves', async () => {
    terminal = await term('exec', '-it', 'client', '--', 'sh');
    await terminal.waitFor((s) => s.endsWith('/ #'), 'the prompt');
    await settled();
    await terminal.type('echo abx');
    await terminal.press('BSpace');
    await terminal.type('c');
    await terminal.press('Enter');
    await terminal.waitFor((s) => /\nabc\n\/ #$/.test(s), 'abc');
    await terminal.type('echo never');
    await terminal.press('C-c');
    // busybox ash: its line editor echoes ^C, then the shell's SIGINT handler a newline: a blank line.
    await terminal.waitFor((s) => /echo never\^C\n\n\/ #$/.test(s), '^C, a blank line, a new prompt');
    await terminal.type('sleep 100; echo after');
    await terminal.press('Enter');
    await new Promise((r) => setTimeout(r, 500));
    await terminal.press('C-c');
    await terminal.waitFor((s) => /sleep 100; echo after\n\^C\n\/ #$/.test(s), 'sleep interrupted');
    await terminal.press('C-d');
    const end = await terminal.waitFor((s) => s.includes('[exit'), 'kubectl to end');
    expect(end).not.toContain('never\n');
    expect(end).not.toContain('\nafter\n');
    // At end of input ash exits with the last command's status: the interrupted sleep's 128+SIGINT.
    expect(end.split('\n').slice(-2)).toEqual(['command terminated with exit code 130', '[exit 130]']);
  }, 60_000);

  test('run -it --rm debug --image=docker.io/busybox --restart=Never -- sh: hostname, exit, the pod deleted', async () => {
    terminal = await term(
      'run',
      '-it',
      '--rm',
      'debug',
      '--image=docker.io/busybox',
      '--restart=Never',
      '--',
      'sh',
    );
    await terminal.waitFor((s) => s.endsWith('/ #'), 'the prompt');
    await settled();
    await terminal.type('hostname');
    await terminal.press('Enter');
    await terminal.waitFor((s) => /\ndebug\n\/ #$/.test(s), 'the pod name and a new prompt');
    await terminal.type('exit');
    await terminal.press('Enter');
    const end = await terminal.waitFor((s) => s.includes('[exit'), 'kubectl to end', 40_000);
    expect(end).toContain('pod "debug" deleted');
    expect(end.endsWith('[exit 0]')).toBe(true);
    expect((await sh('kubectl get pod debug')).stderr).toContain('pods "debug" not found');
  }, 90_000);
});

describe('kubectl exec errors and stdin', () => {
  test('exec -i feeds piped stdin and closes it at the end', async () => {
    const r = await pool.exec(
      master,
      { argv: ['kubectl', 'exec', '-i', 'client', '--', 'sh', '-c', 'cat; echo done'] },
      { stdin: 'x\ny\n', timeoutMs: 30_000 },
    );
    expect(r.stdout).toBe('x\ny\ndone\n');
    expect(r.exitCode).toBe(0);
  });

  test('a program missing from the image, as containerd reports it; a missing pod is NotFound', async () => {
    const missing = await sh('kubectl exec client -- nosuch');
    expect(missing.stderr).toBe(
      'error: Internal error occurred: error executing command in container: failed to exec in container: OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch": executable file not found in $PATH: unknown\n',
    );
    expect(missing.exitCode).toBe(1);
    const ghost = await sh('kubectl exec ghost -- true');
    expect(ghost.stderr).toBe('Error from server (NotFound): pods "ghost" not found\n');
    expect(ghost.exitCode).toBe(1);
  });
});
