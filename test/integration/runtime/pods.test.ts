// Real pods (src/sim/runtime): real busybox 1.37 as PID 1 of its own namespaces, in a Calico-style
// sandbox hung off a node namespace this test makes. Everything it creates is named lkrt-* (namespaces)
// or lkpod-c97-* (pods of "cluster 97", which the testbed's clusters 1-24 never use) and removed in
// afterAll; the last test checks that nothing is left.
import { closeSync, existsSync, readdirSync, writeSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools } from '../../helpers/with-tools.ts';
import { echoHostnamePage } from '../../../src/sim/runtime/echo-page.ts';
import {
  attachContainer,
  buildImages,
  cleanupContainer,
  createSandbox,
  execInContainer,
  followCriLog,
  ip,
  isRunning,
  lookupImage,
  readLog,
  readRecord,
  removeSandbox,
  startContainer,
  stopContainer,
  waitForExit,
  type ContainerRecord,
  type ContainerSpec,
  type Image,
  type Sandbox,
} from '../../../src/sim/runtime/index.ts';
import type { PodProcess, ProcessExit, StartOptions } from '../../../src/sim/apiserver/streams/types.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const IMAGES = process.env['LABKIT_IMAGES_DIR'] ?? join(REPO, '.testbed', 'images');
const NODE = 'lkrt-n1';
/** The node namespace's own address: nothing listens on it, so a connect is refused at once (RST). */
const NODE_ADDR = '10.97.0.1';
const CLUSTER = 97;

let work: string;
const sandboxes: Sandbox[] = [];
const containers: ContainerRecord[] = [];

function image(reference: string): Image {
  const found = lookupImage(IMAGES, reference);
  if (found.kind !== 'found') throw new Error(found.message);
  return found.image;
}

async function pod(index: number, name: string): Promise<Sandbox> {
  const sandbox = await createSandbox({
    cluster: CLUSTER,
    podUid: `97a${index.toString(16).padStart(5, '0')}-0000-4000-8000-000000000000`,
    podIp: `172.16.97.${index + 1}`,
    nodeNetns: NODE,
    podDir: join(work, name),
    files: { hostname: name, namespace: 'default', dnsIp: '172.17.0.10' },
  });
  sandboxes.push(sandbox);
  return sandbox;
}

async function start(
  sandbox: Sandbox,
  spec: Partial<ContainerSpec> & { name: string },
): Promise<ContainerRecord> {
  const result = await startContainer(
    sandbox,
    {
      image: image('docker.io/busybox:latest'),
      env: [],
      hostname: sandbox.filesDir.split('/').at(-2) ?? 'pod',
      ...spec,
    },
    join(sandbox.podDir, 'containers', spec.name),
  );
  if (result.kind !== 'started') throw new Error(result.message);
  containers.push(result.record);
  return result.record;
}

interface Output {
  readonly stdout: string;
  readonly stderr: string;
  readonly exit: ProcessExit;
}

async function collect(process: PodProcess): Promise<Output> {
  let stdout = '';
  let stderr = '';
  process.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  process.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = await process.exit;
  return { stdout, stderr, exit };
}

const NO_TTY: StartOptions = { tty: false, stdin: false };
const sh = (record: ContainerRecord, script: string) =>
  execInContainer(record, ['sh', '-c', script], NO_TTY).then(collect);

describeWithTools(['root-netns'], 'real pods: busybox processes in Calico-style sandboxes', () => {
  let main: ContainerRecord;

  beforeAll(async () => {
    await buildImages(IMAGES);
    work = await mkdtemp(join(tmpdir(), 'lkrt-'));
    await ip(['netns', 'add', NODE]);
    await ip(['-n', NODE, 'link', 'set', 'lo', 'up']);
    await ip(['-n', NODE, 'addr', 'add', `${NODE_ADDR}/32`, 'dev', 'lo']);
    await ip(['netns', 'exec', NODE, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
    main = await start(await pod(1, 'client'), { name: 'main', command: ['sleep', '3600'] });
  }, 300_000);

  afterAll(async () => {
    for (const record of containers) await stopContainer(record, 0).catch(() => undefined);
    for (const record of containers) await cleanupContainer(record).catch(() => undefined);
    for (const sandbox of sandboxes) await removeSandbox(sandbox).catch(() => undefined);
    await ip(['netns', 'del', NODE]).catch(() => undefined);
    if (work) await rm(work, { recursive: true, force: true });
  }, 60_000);

  it('wget to an address that refuses prints busybox 1.37 connection-refused message and exits 1', async () => {
    const out = await sh(main, `wget -q -T 2 -O - http://${NODE_ADDR}`);
    expect(out.stderr).toBe(`wget: can't connect to remote host (${NODE_ADDR}): Connection refused\n`);
    expect(out.exit).toEqual({ code: 1 });
  });

  it('runs a real pipeline, functions, case and a real sleep', async () => {
    expect((await sh(main, 'yes | head -n 3')).stdout).toBe('y\ny\ny\n');
    const script = 'f() { case "$1" in a*) echo "A:$1" ;; *) echo "other:$1" ;; esac; }; f apple; f pear';
    expect((await sh(main, script)).stdout).toBe('A:apple\nother:pear\n');
    const t0 = Date.now();
    expect((await sh(main, 'sleep 2')).exit).toEqual({ code: 0 });
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(1950);
    expect(took).toBeLessThan(4000);
  });

  it('is PID 1 of its own PID namespace, with the pod name as hostname and its env', async () => {
    const out = await sh(main, 'ps -o pid,comm; hostname; echo "$HOSTNAME $PATH"');
    expect(out.stdout).toMatch(/^PID\s+COMMAND\n\s+1 sleep\n/);
    expect(out.stdout).toContain(
      '\nclient\nclient /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n',
    );
  });

  it('has eth0 with mtu 1480, the pod IP /32 and the default route via 169.254.1.1', async () => {
    const out = await sh(main, 'ip a show eth0; ip route');
    expect(out.stdout).toMatch(/eth0@\S+: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1480 /);
    expect(out.stdout).toContain('inet 172.16.97.2/32 scope global eth0');
    expect(out.stdout).toContain('default via 169.254.1.1 dev eth0');
  });

  it('has /etc/resolv.conf, /etc/hosts and /etc/hostname as the kubelet writes them', async () => {
    expect((await sh(main, 'cat /etc/resolv.conf')).stdout).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 172.17.0.10\noptions ndots:5\n',
    );
    const hosts = (await sh(main, 'cat /etc/hosts')).stdout;
    expect(hosts.startsWith('# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n')).toBe(true);
    expect(hosts.endsWith('\n172.16.97.2\tclient\n')).toBe(true);
    expect((await sh(main, 'cat /etc/hostname')).stdout).toBe('client\n');
  });

  it('writes into its own layer, never into the shared image', async () => {
    expect((await sh(main, 'echo x > /bin/new-file && echo x > /tmp/t && ls /bin/new-file')).exit).toEqual({
      code: 0,
    });
    expect(existsSync(join(image('busybox').rootfs, 'bin', 'new-file'))).toBe(false);
  });

  it('serves the echo page from an echo-hostname pod to another pod over the node namespace', async () => {
    const server = await pod(2, 'hostname-deployment-7d4f978855-8h2m9');
    await start(server, { name: 'web', image: image('docker.io/alicek106/rr-test:echo-hostname') });
    const out = await sh(
      main,
      'for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -T 2 -O - http://172.16.97.3 && exit 0; sleep 0.2; done; exit 1',
    );
    expect(out.stdout).toBe(echoHostnamePage('hostname-deployment-7d4f978855-8h2m9'));
    expect((await sh(main, 'wget -q -O - http://172.16.97.3 | grep Hello')).stdout).toBe(
      '        <p>Hello,  hostname-deployment-7d4f978855-8h2m9</p>     </blockquote>\n',
    );
  });

  it('runs an exec under a real TTY and resizes it', async () => {
    const process = await execInContainer(main, ['sh'], {
      tty: true,
      stdin: true,
      size: { width: 100, height: 30 },
    });
    let out = '';
    process.stdout.on('data', (d: Buffer) => (out += d.toString()));
    process.stdin.write('stty size\n');
    await until(() => out.includes('30 100'));
    process.resize({ width: 132, height: 43 });
    await new Promise((r) => setTimeout(r, 100));
    process.stdin.write('stty size; exit 4\n');
    expect(await process.exit).toEqual({ code: 4 });
    expect(out).toContain('43 132\r\n');
  });

  it('reports an executable missing from the image as containerd does', async () => {
    await expect(execInContainer(main, ['nope'], NO_TTY)).rejects.toThrow(
      'exec: "nope": executable file not found in $PATH',
    );
  });

  it('keeps a CRI log, each line tagged with its stream, that can be followed while it grows', async () => {
    const record = await start(await pod(3, 'logger'), {
      name: 'main',
      command: ['sh', '-c', 'for i in 1 2 3; do echo line $i; echo err $i >&2; sleep 0.3; done; printf tail'],
    });
    const entries: string[] = [];
    const arrivals: number[] = [];
    for await (const e of followCriLog(record.logPath, { until: waitForExit(record) })) {
      entries.push(`${e.stream} ${e.partial ? 'P' : 'F'} ${String(e.content)}`);
      arrivals.push(Date.now());
    }
    expect(entries).toEqual([
      'stdout F line 1\n',
      'stderr F err 1\n',
      'stdout F line 2\n',
      'stderr F err 2\n',
      'stdout F line 3\n',
      'stderr F err 3\n',
      'stdout P tail',
    ]);
    expect((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThan(500); // followed, not read at the end
    expect(String(await readLog(record.logPath))).toBe('line 1\nerr 1\nline 2\nerr 2\nline 3\nerr 3\ntail');
    const raw = await readFile(record.logPath, 'utf8');
    expect(raw.split('\n')[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F line 1$/);
  });

  it('stops with SIGTERM, then SIGKILL after the grace period', async () => {
    const record = await start(await pod(4, 'stubborn'), {
      name: 'main',
      command: ['sh', '-c', 'trap "echo got TERM" TERM; echo ready; while true; do sleep 0.1; done'],
    });
    await until(async () => String(await readLog(record.logPath)).includes('ready'));
    const t0 = Date.now();
    expect(await stopContainer(record, 1000)).toEqual({ code: 137, signal: 'SIGKILL' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(String(await readLog(record.logPath))).toContain('got TERM\n');
    expect(await isRunning(record)).toBe(false);
  });

  it('exits with the code of PID 1, and a TERM handler that exits ends the stop early', async () => {
    const record = await start(await pod(5, 'polite'), {
      name: 'main',
      command: ['sh', '-c', 'trap "exit 3" TERM; echo ready; while true; do sleep 0.1; done'],
    });
    await until(async () => String(await readLog(record.logPath)).includes('ready'));
    const t0 = Date.now();
    expect(await stopContainer(record, 10_000)).toEqual({ code: 3 });
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('attaches to a main process with stdin, and detaching leaves it running', async () => {
    const record = await start(await pod(6, 'interactive'), { name: 'main', command: ['sh'], stdin: true });
    const first = await attachContainer(record);
    let out = '';
    first.stdout.on('data', (d: Buffer) => (out += d.toString()));
    let err = '';
    first.stderr.on('data', (d: Buffer) => (err += d.toString()));
    first.stdin.write('echo one; echo uno >&2\n');
    await until(() => out.includes('one\n') && err.includes('uno\n'));
    expect(out).not.toContain('uno'); // stderr stays apart from stdout without a TTY
    first.kill();
    expect(await isRunning(record)).toBe(true);
    const second = await attachContainer(record);
    second.stdin.write('echo two; exit 6\n');
    const result = await collect(second);
    expect(result.exit).toEqual({ code: 6 });
    expect(result.stdout).toContain('two\n');
  });

  it('stdinOnce: the main process blocks on stdin until input comes, and sees EOF when the holder closes it', async () => {
    const sandbox = await pod(12, 'once');
    const result = await startContainer(
      sandbox,
      {
        name: 'main',
        image: image('docker.io/busybox:latest'),
        env: [],
        hostname: 'once',
        command: ['sh'],
        stdin: true,
        stdinOnce: true,
      },
      join(sandbox.podDir, 'containers', 'main'),
    );
    if (result.kind !== 'started') throw new Error(result.message);
    containers.push(result.record);
    const holder = result.stdinHolder;
    expect(holder).toBeTypeOf('number');
    await new Promise((r) => setTimeout(r, 300));
    expect(await isRunning(result.record)).toBe(true); // no EOF while nothing was written or closed
    writeSync(holder ?? -1, 'echo from-stdin\n');
    closeSync(holder ?? -1);
    expect(await waitForExit(result.record)).toEqual({ code: 0 });
    expect(String(await readLog(result.record.logPath))).toBe('from-stdin\n');
  });

  it('runs a TTY main process (kubectl run -it) that an attach joins and resizes', async () => {
    const record = await start(await pod(7, 'tty'), {
      name: 'main',
      command: ['sh'],
      stdin: true,
      tty: true,
    });
    const attach = await attachContainer(record);
    attach.resize({ width: 90, height: 20 });
    await new Promise((r) => setTimeout(r, 100));
    attach.stdin.write('stty size; echo $$; exit 2\n');
    const result = await collect(attach);
    expect(result.stdout).toContain('20 90\r\n1\r\n');
    expect(result.exit).toEqual({ code: 2 });
  });

  it('adopts a running container from its record (a restarted simulator) and rejects a reused PID', async () => {
    const record = await readRecord(main.dir);
    expect(record).toEqual(main);
    expect((await sh(record as ContainerRecord, 'echo adopted')).stdout).toBe('adopted\n');
    expect(await isRunning({ ...main, startTime: '1' })).toBe(false);
  });

  it('bounds a fork bomb by the pids limit and a memory hog by the memory limit', async () => {
    const limits = { pids: 40, memoryBytes: 32 * 1024 * 1024 };
    const bomb = await start(await pod(8, 'bomb'), {
      name: 'main',
      command: ['sh', '-c', 'f() { f | f & }; f; sleep 3600'],
      limits,
    });
    await new Promise((r) => setTimeout(r, 1000));
    const tasks = Number(await readFile(join(bomb.cgroups[0] as string, 'pids.current'), 'utf8'));
    expect(tasks).toBeLessThanOrEqual(40);
    const t0 = Date.now();
    await stopContainer(bomb, 0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    // dd's 100 MB block buffer is past the 32 MB limit: the OOM killer ends PID 1.
    const hog = await start(await pod(9, 'hog'), {
      name: 'main',
      command: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=100M', 'count=1'],
      limits,
    });
    expect(await waitForExit(hog)).toEqual({ code: 137, signal: 'SIGKILL' });
  }, 30_000);

  it('reports an unknown image as not found', () => {
    const found = lookupImage(IMAGES, 'nginx:1.27');
    expect(found.kind).toBe('not-found');
    expect(found.kind === 'not-found' && found.message).toContain(
      '"docker.io/library/nginx:1.27": not found',
    );
  });

  it('leaves nothing behind: no namespace, veth, process or cgroup', async () => {
    for (const record of containers) await stopContainer(record, 0);
    for (const record of containers) await cleanupContainer(record);
    for (const sandbox of sandboxes.splice(0)) await removeSandbox(sandbox);
    const records = containers.splice(0);
    for (const record of records) expect(await isRunning(record)).toBe(false);
    const netns = (await ip(['netns', 'list'])).stdout;
    expect(netns).not.toMatch(/lkpod-c97-/);
    expect((await ip(['-n', NODE, '-o', 'link'])).stdout).not.toContain('cali');
    for (const controller of ['pids', 'memory'])
      if (existsSync(`/sys/fs/cgroup/${controller}`))
        expect(readdirSync(`/sys/fs/cgroup/${controller}`).filter((d) => d.startsWith('lkpod-c97-'))).toEqual(
          [],
        );
  });
});

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
