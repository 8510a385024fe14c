// The cluster DNS process (src/sim/dns/main.ts) for real: run in a network namespace of its own, fed by
// the simulated apiserver, asked with real packets from a second namespace over a veth pair. The
// apiserver runs in this process (host namespace, loopback only); the DNS namespace reaches it through a
// Unix socket (filesystem sockets cross network namespaces) and a relay on its own 127.0.0.1:6443, so no
// address or route is added to the host's namespace.
import { spawn, type ChildProcess } from 'node:child_process';
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { putSimConfig } from '../../../src/sim/apiserver/admin-client.ts';
import { adminKubeconfig } from '../../../src/sim/apiserver/kubeconfig.ts';
import { listenApiServer, type RunningApiServer } from '../../../src/sim/apiserver/listen.ts';
import { createClusterPki, readPki, type PkiFiles, type PkiPem } from '../../../src/sim/apiserver/pki.ts';
import { bootstrapCluster } from '../../../src/sim/model/bootstrap.ts';
import { FakeRuntime } from '../../helpers/fake-runtime.ts';
import { fakeKubelet } from '../../helpers/sim-cluster.ts';
import { writeStateFile } from '../../../src/sim/store.ts';
import { toolPath } from '../../helpers/tools.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';
import type { DigQuery, DigResult } from './dig.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');
const SERVER_NS = 'lkdn-srv';
const CLIENT_NS = 'lkdn-cli';
const SERVER_IP = '10.250.53.1';
const CLIENT_IP = '10.250.53.2';
const DIG = join(import.meta.dirname, 'dig.ts');
const DNS_MAIN = join(REPO, 'src', 'sim', 'dns', 'main.ts');

/** Relays 127.0.0.1:6443 of the namespace it runs in to a Unix socket (argv[1]). */
const RELAY_JS = `const net = require('node:net');
net.createServer((c) => { const u = net.connect(process.argv[1]); c.on('error', () => u.destroy()); u.on('error', () => c.destroy()); c.pipe(u).pipe(c); }).listen(6443, '127.0.0.1', () => console.log('relay up'));`;

/** iproute2's `ip`, the program the root-netns tool stands for. */
const ipBin = (): string => toolPath('root-netns');
/** Prints `<status> <body>` of a GET (argv[1]). */
const FETCH_JS = `fetch(process.argv[1]).then(async (r) => console.log(r.status + ' ' + (await r.text())))`;

const ip = (args: readonly string[]) => execa(ipBin(), args, { timeout: 10_000 });

async function dropNamespaces(): Promise<void> {
  for (const ns of [SERVER_NS, CLIENT_NS])
    await execa(ipBin(), ['netns', 'del', ns], { reject: false, timeout: 10_000 });
}

function waitForLine(child: ChildProcess, output: () => string, needle: string, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${needle}" within ${ms} ms:\n${output()}`)), ms);
    const check = (): void => {
      if (output().includes(needle)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before "${needle}":\n${output()}`));
    });
    check();
  });
}

describeWithTools(['root-netns'], 'the cluster DNS process answers real packets in its own namespace', () => {
  let dir: string;
  let pki: PkiFiles;
  let pem: PkiPem;
  let api: RunningApiServer;
  let bridge: Server;
  const bridged = new Set<Socket>();
  let relay: ChildProcess | undefined;
  let dns: ChildProcess | undefined;
  let dnsOut = '';

  async function dig(queries: DigQuery[]): Promise<DigResult[]> {
    const r = await execa(
      ipBin(),
      [
        'netns',
        'exec',
        CLIENT_NS,
        process.execPath,
        '--import',
        'tsx',
        DIG,
        SERVER_IP,
        JSON.stringify(queries),
      ],
      { cwd: REPO, timeout: 30_000 },
    );
    return JSON.parse(r.stdout) as DigResult[];
  }
  const dig1 = async (q: DigQuery): Promise<DigResult> => (await dig([q]))[0] as DigResult;

  function apiPost(path: string, body: object): Promise<Record<string, unknown>> {
    const text = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: api.port,
          path,
          method: 'POST',
          ca: pem.caCert,
          cert: pem.adminCert,
          key: pem.adminKey,
          servername: 'kubernetes',
          headers: { 'Content-Type': 'application/json' },
          timeout: 10_000,
        },
        (res) => {
          let out = '';
          res.on('data', (c: Buffer) => (out += c.toString()));
          res.on('end', () =>
            res.statusCode === 201
              ? resolve(JSON.parse(out) as Record<string, unknown>)
              : reject(new Error(out)),
          );
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  }
  const createService = (name: string, spec: object) =>
    apiPost('/api/v1/namespaces/default/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec,
    });
  const setFaults = (faults: string[]) =>
    putSimConfig({ host: '127.0.0.1', port: api.port, pkiDir: pki.dir }, { faults: faults as never });

  beforeAll(async () => {
    await dropNamespaces();
    dir = await mkdtemp(join(tmpdir(), 'labkit-dns-'));
    pki = await createClusterPki(join(dir, 'pki'), { ips: ['127.0.0.1'], hostname: 'master-node' });
    pem = await readPki(pki);
    const stateFile = join(dir, 'state.json');
    const state = bootstrapCluster([
      { name: 'master-node', internalIP: '192.168.57.10' },
      { name: 'worker-node01', internalIP: '192.168.57.11' },
    ]);
    await writeStateFile(stateFile, state);
    api = await listenApiServer({
      stateFile,
      pkiDir: pki.dir,
      address: '127.0.0.1',
      port: 0,
      kubelet: fakeKubelet(state, new FakeRuntime()),
    });
    await createService('external', { type: 'ExternalName', externalName: 'my.database.example.com' });
    const sock = join(dir, 'api.sock');
    bridge = createServer((c) => {
      const upstream = connect(api.port, '127.0.0.1');
      for (const s of [c, upstream]) {
        bridged.add(s);
        s.on('close', () => bridged.delete(s));
        s.on('error', () => (c.destroy(), upstream.destroy()));
      }
      c.pipe(upstream).pipe(c);
    });
    await new Promise<void>((resolve) => bridge.listen(sock, resolve));
    await writeFile(join(dir, 'admin.conf'), adminKubeconfig('https://127.0.0.1:6443', pem), { mode: 0o600 });

    for (const ns of [SERVER_NS, CLIENT_NS]) await ip(['netns', 'add', ns]);
    await ip([
      'link',
      'add',
      'lkdn-s0',
      'netns',
      SERVER_NS,
      'type',
      'veth',
      'peer',
      'name',
      'lkdn-c0',
      'netns',
      CLIENT_NS,
    ]);
    for (const [ns, dev, addr] of [
      [SERVER_NS, 'lkdn-s0', SERVER_IP],
      [CLIENT_NS, 'lkdn-c0', CLIENT_IP],
    ] as const) {
      await ip(['-n', ns, 'addr', 'add', `${addr}/30`, 'dev', dev]);
      await ip(['-n', ns, 'link', 'set', dev, 'up']);
      await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    }

    let relayOut = '';
    relay = spawn(ipBin(), ['netns', 'exec', SERVER_NS, process.execPath, '-e', RELAY_JS, sock], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    relay.stdout?.on('data', (c: Buffer) => (relayOut += c.toString()));
    await waitForLine(relay, () => relayOut, 'relay up', 10_000);

    dns = spawn(
      ipBin(),
      [
        'netns',
        'exec',
        SERVER_NS,
        process.execPath,
        '--import',
        'tsx',
        DNS_MAIN,
        '--kubeconfig',
        join(dir, 'admin.conf'),
        '--fault-retry-ms',
        '200',
      ],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    dns.stdout?.on('data', (c: Buffer) => (dnsOut += c.toString()));
    dns.stderr?.on('data', (c: Buffer) => (dnsOut += c.toString()));
    await waitForLine(dns, () => dnsOut, 'CoreDNS-', 20_000);
    // Synced once the first LISTs are in: kubernetes.default answers.
    const first = await dig1({
      name: 'kubernetes.default.svc.cluster.local',
      type: 'A',
      transport: 'udp',
      timeoutMs: 500,
      untilAnsweredMs: 10_000,
    });
    expect(first.answers, dnsOut).not.toEqual([]);
  }, 90_000);

  afterAll(async () => {
    for (const child of [dns, relay]) {
      if (!child?.pid || child.exitCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await dropNamespaces();
    for (const s of bridged) s.destroy();
    await new Promise<void>((resolve) => (bridge ? bridge.close(() => resolve()) : resolve()));
    await api?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 30_000);

  test('A records of services over UDP, TCP and a stub resolver, authoritative', async () => {
    const [udp, tcp, resolver] = await dig([
      { name: 'kubernetes.default.svc.cluster.local', type: 'A', transport: 'udp', timeoutMs: 2000 },
      { name: 'kube-dns.kube-system.svc.cluster.local', type: 'A', transport: 'tcp', timeoutMs: 2000 },
      { name: 'kube-dns.kube-system.svc.cluster.local', type: 'A', transport: 'resolver', timeoutMs: 2000 },
    ]);
    expect(udp).toMatchObject({ rcode: 'NOERROR', aa: true, answers: [{ type: 'A', data: '172.17.0.1' }] });
    expect(tcp).toMatchObject({ rcode: 'NOERROR', aa: true, answers: [{ type: 'A', data: '172.17.0.10' }] });
    expect(resolver).toMatchObject({ answers: [{ data: '172.17.0.10' }] });
  });

  test('an ExternalName service is a CNAME to the exact target, without an address of its own', async () => {
    const [a, cname] = await dig([
      { name: 'external.default.svc.cluster.local', type: 'A', transport: 'udp', timeoutMs: 2000 },
      { name: 'external.default.svc.cluster.local', type: 'CNAME', transport: 'resolver', timeoutMs: 2000 },
    ]);
    expect(a).toMatchObject({
      rcode: 'NOERROR',
      answers: [{ type: 'CNAME', data: 'my.database.example.com' }],
    });
    expect(cname).toMatchObject({ answers: [{ data: 'my.database.example.com' }] });
  });

  test('a name that does not exist is NXDOMAIN with the SOA; a name outside the cluster SERVFAIL', async () => {
    const [nx, resolver, outside] = await dig([
      { name: 'nosuch.default.svc.cluster.local', type: 'A', transport: 'udp', timeoutMs: 2000 },
      { name: 'nosuch.default.svc.cluster.local', type: 'A', transport: 'resolver', timeoutMs: 2000 },
      { name: 'example.com', type: 'A', transport: 'udp', timeoutMs: 2000 },
    ]);
    expect(nx).toMatchObject({ rcode: 'NXDOMAIN', aa: true, answers: [], authorities: ['SOA'] });
    expect(resolver).toMatchObject({ error: 'ENOTFOUND' });
    expect(outside).toMatchObject({ rcode: 'SERVFAIL', answers: [] });
    expect(outside?.elapsedMs).toBeLessThan(1000);
  });

  test('a service created after start resolves within 2 s (the watch)', async () => {
    const created = await createService('late', {
      selector: { app: 'late' },
      ports: [{ name: 'web', port: 80 }],
    });
    const clusterIP = (created['spec'] as { clusterIP: string }).clusterIP;
    const r = await dig1({
      name: 'late.default.svc.cluster.local',
      type: 'A',
      transport: 'udp',
      timeoutMs: 500,
      untilAnsweredMs: 2000,
    });
    expect(r.answers).toEqual([{ type: 'A', data: clusterIP }]);
    expect(r.elapsedMs).toBeLessThan(2000);
  });

  test('after the apiserver connection is cut it reconnects and sees new services', async () => {
    for (const s of bridged) s.destroy();
    await createService('after-cut', { selector: { app: 'x' }, ports: [{ name: 'web', port: 80 }] });
    const r = await dig1({
      name: 'after-cut.default.svc.cluster.local',
      type: 'A',
      transport: 'udp',
      timeoutMs: 500,
      untilAnsweredMs: 8000,
    });
    expect(r.answers, dnsOut).toHaveLength(1);
  });

  test('dns-broken: queries are received and never answered (time out), and answered again once it is off', async () => {
    await setFaults(['dns-broken']);
    await new Promise((r) => setTimeout(r, 700));
    const [udp, resolver] = await dig([
      { name: 'kubernetes.default.svc.cluster.local', type: 'A', transport: 'udp', timeoutMs: 1500 },
      { name: 'kubernetes.default.svc.cluster.local', type: 'A', transport: 'resolver', timeoutMs: 1500 },
    ]);
    expect(udp).toMatchObject({ error: 'timeout', answers: [] });
    expect(resolver).toMatchObject({ error: 'ETIMEOUT' });
    await setFaults([]);
    const back = await dig1({
      name: 'kubernetes.default.svc.cluster.local',
      type: 'A',
      transport: 'udp',
      timeoutMs: 500,
      untilAnsweredMs: 3000,
    });
    expect(back.answers).toEqual([{ type: 'A', data: '172.17.0.1' }]);
  }, 30_000);

  test('the health and ready probes of the coredns Deployment answer OK', async () => {
    const status = async (url: string): Promise<string> =>
      (
        await execa(ipBin(), ['netns', 'exec', CLIENT_NS, process.execPath, '-e', FETCH_JS, url], {
          timeout: 15_000,
        })
      ).stdout;
    expect(await status(`http://${SERVER_IP}:8080/health`)).toBe('200 OK');
    expect(await status(`http://${SERVER_IP}:8181/ready`)).toBe('200 OK');
  });

  test("its log reads as CoreDNS's and holds no secret", () => {
    expect(dnsOut).toContain('[INFO] plugin/reload: Running configuration SHA512 = ');
    expect(dnsOut).toMatch(/^\.:53$/m);
    expect(dnsOut).toContain('[ERROR] plugin/errors: 2 example.com. A:');
    expect(dnsOut).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);
  });
});
