// A two-node lab of our own for real packets (prefix lkpx): a LAN netns with a bridge, two node netns on
// it, pods as netns + veth + /32 (the real-pods contract's shape), an outside netns on the LAN, small
// HTTP servers answering their pod's name, and a requester run inside a netns.
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const LAN = 'lkpx-lan';
export const OUTSIDE = 'lkpx-ext';
export const NODES = [
  { name: 'node1', netns: 'lkpx-node1', address: '192.168.77.11', block: '172.16.10.0/26' },
  { name: 'node2', netns: 'lkpx-node2', address: '192.168.77.12', block: '172.16.10.64/26' },
] as const;
export const OUTSIDE_ADDRESS = '192.168.77.1';

export interface Pod {
  readonly name: string;
  readonly netns: string;
  readonly ip: string;
  readonly node: (typeof NODES)[number];
  readonly veth: string;
}

// A tiny HTTP server answering its pod's name, one connection per request (run with node -e).
const SERVER = `
const name = process.argv[1];
require('node:http')
  .createServer((_req, res) => res.writeHead(200, { connection: 'close' }).end(name))
  .listen(8080, '0.0.0.0');
`;

// Sequential HTTP GETs, a new connection each (kube-proxy picks per connection); prints JSON counts and
// the answers in order; a failure is recorded by its error code.
const REQUESTER = `
import http from 'node:http';
const [url, count, timeout] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const answers = [];
const one = () => new Promise((resolve) => {
  const req = http.get(url, { agent: false, timeout }, (res) => {
    let body = ''; res.setEncoding('utf8'); res.on('data', (d) => (body += d)); res.on('end', () => resolve(body));
  });
  req.on('timeout', () => { req.destroy(new Error('timeout')); });
  req.on('error', (e) => resolve('ERR:' + (e.code ?? e.message)));
});
const started = Date.now();
for (let i = 0; i < count; i++) answers.push(await one());
process.stdout.write(JSON.stringify({ answers, ms: Date.now() - started }));
`;

const run = async (argv: readonly string[]) => {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('empty argv');
  await execa(file, args, { timeout: 10_000 });
};
const inNs = (netns: string, argv: readonly string[]) => run(['ip', 'netns', 'exec', netns, ...argv]);

export class Lab {
  readonly pods: Pod[] = [];
  private dir = '';
  private servers: ReturnType<typeof execa>[] = [];
  private readonly namespaces: string[] = [];

  async up(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'lkpx-'));
    await writeFile(join(this.dir, 'requester.mjs'), REQUESTER);
    for (const ns of [LAN, OUTSIDE, ...NODES.map((n) => n.netns)]) await this.netns(ns);
    await run(['ip', '-n', LAN, 'link', 'add', 'lkpxbr', 'type', 'bridge']);
    await run(['ip', '-n', LAN, 'link', 'set', 'lkpxbr', 'up']);
    const attach = async (ns: string, index: number, address: string) => {
      await run([
        'ip',
        'link',
        'add',
        `lkpxl${index}`,
        'netns',
        LAN,
        'type',
        'veth',
        'peer',
        'name',
        'eth1',
        'netns',
        ns,
      ]);
      await run(['ip', '-n', LAN, 'link', 'set', `lkpxl${index}`, 'master', 'lkpxbr', 'up']);
      await run(['ip', '-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth1']);
      await run(['ip', '-n', ns, 'link', 'set', 'eth1', 'up']);
      await run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    };
    await attach(OUTSIDE, 0, OUTSIDE_ADDRESS);
    for (const [i, node] of NODES.entries()) await attach(node.netns, i + 1, node.address);
    // Proxy ARP (the node side of each pod veth answers for 169.254.1.1) only answers for an address the
    // node has a route to through another interface: a real node has its default route; ours goes to the LAN.
    for (const node of NODES)
      await run(['ip', '-n', node.netns, 'route', 'add', 'default', 'via', OUTSIDE_ADDRESS, 'dev', 'eth1']);
  }

  private async netns(name: string): Promise<void> {
    await execa('ip', ['netns', 'del', name], { reject: false });
    await run(['ip', 'netns', 'add', name]);
    this.namespaces.push(name);
  }

  /** A pod as the runtime makes one: eth0 /32, default via 169.254.1.1, the node side with proxy_arp. */
  async addPod(name: string, node: (typeof NODES)[number], ip: string, serve: boolean): Promise<Pod> {
    const pod: Pod = { name, netns: `lkpx-${name}`, ip, node, veth: `lkpxv${this.pods.length}` };
    await this.netns(pod.netns);
    await run([
      'ip',
      'link',
      'add',
      pod.veth,
      'netns',
      node.netns,
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      pod.netns,
    ]);
    await run(['ip', '-n', pod.netns, 'link', 'set', 'eth0', 'mtu', '1480', 'up']);
    await run(['ip', '-n', pod.netns, 'link', 'set', 'lo', 'up']);
    await run(['ip', '-n', pod.netns, 'addr', 'add', `${ip}/32`, 'dev', 'eth0']);
    await run(['ip', '-n', pod.netns, 'route', 'add', '169.254.1.1', 'dev', 'eth0', 'scope', 'link']);
    await run(['ip', '-n', pod.netns, 'route', 'add', 'default', 'via', '169.254.1.1', 'dev', 'eth0']);
    await inNs(node.netns, ['sysctl', '-q', '-w', `net.ipv4.conf.${pod.veth}.proxy_arp=1`]);
    await run(['ip', '-n', node.netns, 'link', 'set', pod.veth, 'mtu', '1480', 'up']);
    await run(['ip', '-n', node.netns, 'route', 'add', `${ip}/32`, 'dev', pod.veth, 'scope', 'link']);
    if (serve) {
      const server = execa('ip', ['netns', 'exec', pod.netns, process.execPath, '-e', SERVER, name], {
        reject: false,
        timeout: 600_000,
      });
      this.servers.push(server);
    }
    this.pods.push(pod);
    return pod;
  }

  /** Waits (bounded) until every serving pod answers on its own address from inside its netns. */
  async serversReady(): Promise<void> {
    for (const pod of this.pods) {
      if (pod.name.startsWith('cli')) continue;
      const deadline = Date.now() + 10_000;
      for (;;) {
        const r = await this.request(pod.netns, `http://${pod.ip}:8080/`, 1, 500);
        if (r.answers[0] === pod.name) break;
        if (Date.now() > deadline) throw new Error(`${pod.name} never answered`);
        await new Promise((ok) => setTimeout(ok, 100));
      }
    }
  }

  async request(
    netns: string,
    url: string,
    count: number,
    timeoutMs: number,
  ): Promise<{ answers: string[]; ms: number }> {
    const r = await execa(
      'ip',
      [
        'netns',
        'exec',
        netns,
        process.execPath,
        join(this.dir, 'requester.mjs'),
        url,
        String(count),
        String(timeoutMs),
      ],
      {
        timeout: 60_000,
      },
    );
    return JSON.parse(r.stdout) as { answers: string[]; ms: number };
  }

  async down(): Promise<void> {
    for (const s of this.servers) s.kill('SIGKILL');
    await Promise.allSettled(this.servers);
    // Deleting a netns deletes its veth ends and the bridge with it.
    for (const ns of this.namespaces.reverse()) await execa('ip', ['netns', 'del', ns], { reject: false });
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
