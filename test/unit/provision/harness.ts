// Runs scripts/provision/*.sh for real (bash) in a temporary LAB_ROOT, with stub commands first on
// PATH. PATH holds ONLY the stubs plus a short allow-list of harmless real tools, so a script that
// calls anything unexpected (a real systemctl, apt-get, ...) fails with "command not found".
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { vi } from 'vitest';
import { fixturesDir, provisionDir } from './paths.ts';

// The scripts run for real under bash (0.3-1 s each, much more on a loaded shared machine).
vi.setConfig({ testTimeout: 30_000 });

export { fixturesDir, provisionDir, repoRoot } from './paths.ts';
const stubsDir = join(fixturesDir, 'stubs');

const STUBS = [
  'apt-get',
  'apt-cache',
  'apt-mark',
  'dpkg',
  'dpkg-query',
  'curl',
  'gpg',
  'kubeadm',
  'kubectl',
  'systemctl',
  'modprobe',
  'sysctl',
  'swapoff',
  'ip',
  'id',
  'chown',
  'containerd',
];
const REAL_TOOLS = [
  'bash',
  'env',
  'cat',
  'cmp',
  'mkdir',
  'mktemp',
  'mv',
  'rm',
  'chmod',
  'dirname',
  'basename',
  'sed',
  'grep',
  'tr',
  'head',
  'sort',
  'wc',
  'touch',
  'sleep',
  'cp',
  'stat',
  'sha256sum',
  'cut',
];

export interface Call {
  cmd: string;
  args: string[];
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: Call[];
}

export const NODE_IP_LINES = (ip: string): string =>
  [
    '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
    '2: eth0    inet 10.0.2.15/24 metric 100 brd 10.0.2.255 scope global dynamic eth0\\       valid_lft 86055sec preferred_lft 86055sec',
    `3: eth1    inet ${ip}/24 brd 192.168.56.255 scope global eth1\\       valid_lft forever preferred_lft forever`,
  ].join('\n') + '\n';

export const K8S = { version: '1.33.5', revision: '1.1', calico: 'v3.30.3' };

export const COMMON_ENV = {
  LAB_NODE_NAME: 'master-node',
  LAB_NODE_IP: '192.168.56.10',
  LAB_NODE_CIDR: '192.168.56.0/24',
  LAB_HOSTS: '192.168.56.10=master-node 192.168.56.11=worker-node01 192.168.56.12=worker-node02',
  LAB_K8S_VERSION: K8S.version,
  LAB_K8S_PACKAGE_REVISION: K8S.revision,
};

export const MASTER_ENV = {
  LAB_NODE_NAME: 'master-node',
  LAB_NODE_IP: '192.168.56.10',
  LAB_NODE_CIDR: '192.168.56.0/24',
  LAB_POD_CIDR: '172.16.0.0/16',
  LAB_SERVICE_CIDR: '172.17.0.0/16',
  LAB_K8S_VERSION: K8S.version,
  LAB_CALICO_VERSION: K8S.calico,
  LAB_CALICO_IPIP_MODE: 'Always',
  LAB_CALICO_REGISTRY: 'quay.io',
};

export const JOIN_TOKEN = 'abcdef.0123456789abcdef';
/** worker.sh's stdin: the token on the first line (it is never an argument or an environment variable). */
export const JOIN_STDIN = `${JOIN_TOKEN}\n`;
export const CA_HASH = `sha256:${'0123456789abcdef'.repeat(4)}`;
export const WORKER_ENV = {
  LAB_NODE_NAME: 'worker-node01',
  LAB_NODE_IP: '192.168.56.11',
  LAB_JOIN_ENDPOINT: '192.168.56.10:6443',
  LAB_JOIN_CA_HASH: CA_HASH,
};

export class Sandbox {
  readonly dir: string;
  readonly root: string;
  readonly bin: string;
  readonly state: string;
  readonly log: string;
  extraEnv: Record<string, string> = {};

  constructor(opts: { nodeIp?: string; swap?: boolean } = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'labkit-provision-'));
    this.root = join(this.dir, 'root');
    this.bin = join(this.dir, 'bin');
    this.state = join(this.dir, 'state');
    this.log = join(this.dir, 'calls.log');
    for (const d of [this.root, this.bin, this.state]) mkdirSync(d, { recursive: true });
    for (const s of STUBS) symlinkSync(join(stubsDir, s), join(this.bin, s));
    for (const t of REAL_TOOLS) symlinkSync(`/usr/bin/${t}`, join(this.bin, t));
    // Ubuntu's default awk is mawk: the scripts' awk must work there.
    symlinkSync('/usr/bin/mawk', join(this.bin, 'awk'));
    writeFileSync(this.log, '');
    writeFileSync(join(this.state, 'ip-addr'), NODE_IP_LINES(opts.nodeIp ?? '192.168.56.10'));
    // A fresh Ubuntu box: swap on, forwarding off, an fstab with a swap file.
    this.write(
      '/etc/fstab',
      'LABEL=cloudimg-rootfs\t/\text4\tdefaults\t0 1\n/swap.img\tnone\tswap\tsw\t0\t0\n',
    );
    this.write(
      '/proc/swaps',
      'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n' +
        (opts.swap === false ? '' : '/swap.img                               file\t\t2097148\t\t0\t\t-2\n'),
    );
    this.write('/proc/sys/net/ipv4/ip_forward', '0\n');
    this.write('/home/vagrant/.profile', '# vagrant\n');
  }

  path(p: string): string {
    return join(this.root, p);
  }

  write(p: string, content: string): void {
    mkdirSync(dirname(this.path(p)), { recursive: true });
    writeFileSync(this.path(p), content);
  }

  read(p: string): string {
    return readFileSync(this.path(p), 'utf8');
  }

  addStub(name: string, from = name): void {
    symlinkSync(join(stubsDir, from), join(this.bin, name));
  }

  addExecutable(name: string, body: string): void {
    const p = join(this.bin, name);
    writeFileSync(p, body);
    chmodSync(p, 0o755);
  }

  /** Snapshot of every file under LAB_ROOT: content and mtime, to prove a re-run wrote nothing. */
  snapshot(): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (d: string): void => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        const st = statSync(p);
        if (st.isDirectory()) walk(p);
        else out.set(relative(this.root, p), `${st.mtimeMs}:${readFileSync(p, 'base64')}`);
      }
    };
    walk(this.root);
    return out;
  }

  calls(): Call[] {
    return readFileSync(this.log, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => {
        const [cmd = '', ...args] = l.split('\x1f');
        return { cmd, args };
      });
  }

  /** Runs the script; `stdin` is written to its standard input (closed at once when omitted). */
  run(script: string, env: Record<string, string>, bashArgs: string[] = [], stdin = ''): RunResult {
    const before = this.calls().length;
    const r = spawnSync('/usr/bin/bash', [...bashArgs, join(provisionDir, script)], {
      encoding: 'utf8',
      input: stdin,
      cwd: this.dir,
      env: {
        PATH: this.bin,
        HOME: this.dir,
        LANG: 'C',
        LAB_ROOT: this.root,
        STUB_LOG: this.log,
        STUB_STATE: this.state,
        STUB_LIB: join(stubsDir, '_lib.sh'),
        STUB_FIXTURES: fixturesDir,
        STUB_NODE: process.execPath,
        STUB_CALICO_VERSION: K8S.calico,
        ...this.extraEnv,
        ...env,
      },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls: this.calls().slice(before) };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Commands that only read state. Anything else a second run calls is a change. */
export function isReadOnly(c: Call): boolean {
  const a = c.args;
  switch (c.cmd) {
    case 'dpkg-query':
    case 'apt-cache':
    case 'ip':
    case 'id':
      return true;
    case 'dpkg':
      return a[0] === '--compare-versions';
    case 'apt-mark':
      return a[0] === 'showhold';
    case 'systemctl':
      return a[0] === 'is-enabled' || a[0] === 'is-active';
    case 'containerd':
      return a.join(' ') === 'config default';
    case 'kubeadm':
      return (a[0] === 'config' && a[1] === 'images' && a[2] === 'list') || a[0] === 'version';
    case 'kubectl':
      return a.includes('get');
    default:
      return false;
  }
}

export const fmt = (c: Call): string => [c.cmd, ...c.args].join(' ');
