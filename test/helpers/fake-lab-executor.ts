// A RemoteExecutor that answers the commands lab:up sends, from a small model of a kubeadm cluster, so the
// orchestration can be tested without VMs. It records every command; unknown commands fail loudly.
import { buildRemoteLine } from '../../src/ssh/command-line.ts';
import type { ExecOptions, ExecResult, RemoteCommand, RemoteExecutor } from '../../src/ssh/types.ts';

export interface FakeLabOptions {
  master: string;
  masterIp: string;
  workers: { name: string; ip: string }[];
  /** Workers already joined (a re-run). */
  joined?: string[];
  /** Report this InternalIP for every node (e.g. the NAT address 10.0.2.15). */
  forceInternalIp?: string;
  dnsBroken?: boolean;
  joinFailsOn?: string;
  /** How far every node's clock is behind the host's at first (a restored snapshot's clock). */
  clockBehindSec?: number;
  /** Nodes whose kubelet never renews its lease (a kubelet that did not come back). */
  staleLeases?: string[];
  /** MetalLB already installed with this pool (a re-run). */
  metallbPool?: string;
  /** metallb.sh fails as when the controller never becomes available. */
  metallbFails?: boolean;
}

export interface RecordedCommand {
  host: string;
  command: string;
  env?: Readonly<Record<string, string>>;
  stdin?: string;
  sudo: boolean;
  /** The exec request line the real executor would send (src/ssh/command-line.ts): what `ps` shows. */
  remoteLine: string;
}

export class FakeLabExecutor implements RemoteExecutor {
  readonly calls: RecordedCommand[] = [];
  readonly joined: Set<string>;
  /** The pool metallb.sh applied (undefined: MetalLB not installed). */
  metallbPool: string | undefined;
  closed = false;
  private tokenCount = 0;
  /** Each node's clock minus the host's, in ms (changed by `date -u -s @N`). */
  private readonly clockOffsetMs = new Map<string, number>();

  constructor(private readonly opts: FakeLabOptions) {
    this.joined = new Set(opts.joined ?? []);
    this.metallbPool = opts.metallbPool;
  }

  async exec(host: string, command: RemoteCommand, options: ExecOptions = {}): Promise<ExecResult> {
    const text =
      'argv' in command ? command.argv.join(' ') : `<script ${command.script.split('\n')[0] ?? ''}>`;
    this.calls.push({
      host,
      command: text,
      sudo: options.sudo ?? false,
      ...(options.env ? { env: options.env } : {}),
      ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
      remoteLine: buildRemoteLine(command, options, options.timeoutMs ?? 60_000),
    });
    const [exitCode, stdout, stderr] = this.answer(host, command, options);
    return {
      host,
      command: text,
      exitCode,
      signal: null,
      stdout,
      stderr,
      durationMs: 1,
      timedOut: false,
      canceled: false,
    };
  }

  async run(host: string, command: RemoteCommand, options?: ExecOptions): Promise<ExecResult> {
    const result = await this.exec(host, command, options);
    if (result.exitCode !== 0)
      throw new Error(`${host}: exit ${result.exitCode}: ${result.command}: ${result.stderr}`);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** What metallb.sh prints (scripts/provision/metallb.sh) on the control plane, as root. */
  private metallb(host: string, options: ExecOptions): [number, string, string] {
    const version = options.env?.['LAB_METALLB_VERSION'];
    const pool = options.env?.['LAB_METALLB_POOL'];
    if (host !== this.opts.master || !options.sudo || !version || !pool)
      return [2, '', `[labkit] error: metallb.sh on ${host} without root or LAB_METALLB_*`];
    if (this.opts.metallbFails)
      return [
        1,
        '[labkit] metallb: waiting up to 300s for the controller and the speakers\n',
        "[labkit] error: MetalLB's controller did not become available within 300s: see kubectl -n metallb-system get pods and kubectl -n metallb-system describe deployment controller\n",
      ];
    const installed = this.metallbPool !== undefined;
    const state = !installed ? 'created' : this.metallbPool === pool ? 'unchanged' : 'configured';
    this.metallbPool = pool;
    return [
      0,
      [
        installed
          ? `[labkit] metallb: MetalLB ${version} already installed; skipping the manifest`
          : `[labkit] metallb: applying MetalLB ${version} (native mode)`,
        `ipaddresspool.metallb.io/labkit-pool ${state}`,
        `l2advertisement.metallb.io/labkit-l2 ${installed ? 'unchanged' : 'created'}`,
        `[labkit] metallb: MetalLB ${version} ready: L2 pool ${pool}`,
        '',
      ].join('\n'),
      '',
    ];
  }

  private answer(host: string, command: RemoteCommand, options: ExecOptions): [number, string, string] {
    if ('script' in command && command.script.includes('LAB_METALLB_POOL'))
      return this.metallb(host, options);
    if ('script' in command) {
      if (!command.script.includes('kubeadm join')) return [127, '', 'unexpected script'];
      if (host === this.opts.joinFailsOn)
        return [
          1,
          '',
          '[preflight] Some fatal errors occurred:\n\t[ERROR FileAvailable--etc-kubernetes-kubelet.conf]',
        ];
      // as worker.sh: the bootstrap token is the first line of stdin
      if (!/^[a-z0-9]{6}\.[a-z0-9]{16}\n/.test(options.stdin ?? ''))
        return [2, '', '[labkit] error: no bootstrap token on stdin'];
      this.joined.add(host);
      return [0, '[labkit] join: done', ''];
    }
    const argv = command.argv;
    const line = argv.join(' ');
    if (line === 'test -f /etc/kubernetes/kubelet.conf') return [this.joined.has(host) ? 0 : 1, '', ''];
    if (line === 'date +%s') return [0, `${Math.floor(this.nodeClockMs(host) / 1000)}\n`, ''];
    const setClock = /^date -u -s @(\d+)$/.exec(line);
    if (setClock) {
      if (!options.sudo) return [1, '', 'date: cannot set date: Operation not permitted'];
      this.clockOffsetMs.set(host, Number(setClock[1]) * 1000 - Date.now());
      return [0, `${new Date(Number(setClock[1]) * 1000).toUTCString()}\n`, ''];
    }
    if (host !== this.opts.master) return [127, '', `unexpected command on ${host}: ${line}`];
    if (line.startsWith('kubeadm token create --print-join-command')) {
      this.tokenCount++;
      return [
        0,
        `kubeadm join ${this.opts.masterIp}:6443 --token abcdef.${String(this.tokenCount).padStart(16, '0')} --discovery-token-ca-cert-hash sha256:${'ab'.repeat(32)} \n`,
        '',
      ];
    }
    if (line === 'kubectl get nodes -o json') return [0, JSON.stringify({ items: this.nodes() }), ''];
    if (line === 'kubectl get leases -n kube-node-lease -o json')
      return [0, JSON.stringify({ items: this.leases() }), ''];
    if (line.startsWith('kubectl get pods -n kube-system -l k8s-app=calico-node'))
      return [0, JSON.stringify({ items: this.pods('calico-node', this.nodes().length) }), ''];
    if (line.startsWith('kubectl get pods -n kube-system -l k8s-app=kube-dns'))
      return [0, JSON.stringify({ items: this.pods('coredns', 2) }), ''];
    if (line.startsWith('kubectl label node')) return [0, `node/${argv[3]} labeled`, ''];
    if (line === 'cat /etc/kubernetes/admin.conf') {
      return [
        0,
        `apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: AAAA\n    server: https://${this.opts.masterIp}:6443\n  name: kubernetes\n`,
        '',
      ];
    }
    if (line.startsWith('kubectl delete pod labkit-smoke-dns')) return [0, '', ''];
    if (line.startsWith('kubectl run labkit-smoke-dns')) {
      if (this.opts.dnsBroken)
        return [
          1,
          ';; connection timed out; no servers could be reached\n',
          'pod default/labkit-smoke-dns terminated (Error)',
        ];
      return [
        0,
        'Server:\t\t172.17.0.10\nAddress:\t172.17.0.10:53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 172.17.0.1\n\n',
        '',
      ];
    }
    return [127, '', `fake cluster: unsupported command: ${line}`];
  }

  private nodes(): unknown[] {
    const all = [
      { name: this.opts.master, ip: this.opts.masterIp },
      ...this.opts.workers.filter((w) => this.joined.has(w.name)),
    ];
    return all.map((n) => ({
      metadata: { name: n.name, labels: {} },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [
          { type: 'InternalIP', address: this.opts.forceInternalIp ?? n.ip },
          { type: 'Hostname', address: n.name },
        ],
      },
    }));
  }

  private nodeClockMs(host: string): number {
    return Date.now() + (this.clockOffsetMs.get(host) ?? -(this.opts.clockBehindSec ?? 0) * 1000);
  }

  /** Each kubelet renews its lease with its own clock (kube MicroTime); a stale one kept the snapshot's. */
  private leases(): unknown[] {
    const names = [this.opts.master, ...this.opts.workers.map((w) => w.name)];
    return names.map((name) => {
      const at = this.opts.staleLeases?.includes(name)
        ? Date.now() - (this.opts.clockBehindSec ?? 3600) * 1000
        : this.nodeClockMs(name);
      return {
        metadata: { name, namespace: 'kube-node-lease' },
        spec: {
          holderIdentity: name,
          leaseDurationSeconds: 40,
          renewTime: new Date(at).toISOString().replace('Z', '123Z'),
        },
      };
    });
  }

  private pods(prefix: string, count: number): unknown[] {
    return Array.from({ length: count }, (_, i) => ({
      metadata: { name: `${prefix}-${i}`, namespace: 'kube-system' },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    }));
  }
}
