import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, expect, it } from 'vitest';
import { describeWithTools } from '../../helpers/with-tools.ts';
import {
  CA_HASH,
  COMMON_ENV,
  JOIN_STDIN,
  JOIN_TOKEN,
  NODE_IP_LINES,
  Sandbox,
  WORKER_ENV,
  fmt,
  isReadOnly,
  type RunResult,
} from './harness.ts';

let sb: Sandbox;
afterEach(() => sb.cleanup());

const WORKER_COMMON = {
  ...COMMON_ENV,
  LAB_NODE_NAME: 'worker-node01',
  LAB_NODE_IP: '192.168.56.11',
};

const JOIN_CONFIG = [
  'apiVersion: kubeadm.k8s.io/v1beta4',
  'kind: JoinConfiguration',
  'discovery:',
  '  bootstrapToken:',
  '    apiServerEndpoint: "192.168.56.10:6443"',
  `    token: "${JOIN_TOKEN}"`,
  '    caCertHashes:',
  `      - "${CA_HASH}"`,
  'nodeRegistration:',
  '  name: "worker-node01"',
  '  criSocket: "unix:///run/containerd/containerd.sock"',
  '',
].join('\n');

function provisioned(): Sandbox {
  const s = new Sandbox({ nodeIp: '192.168.56.11' });
  const r = s.run('common.sh', WORKER_COMMON);
  if (r.status !== 0) throw new Error(r.stderr);
  // every stub from here on records its environment, to prove the token is in none of them
  s.extraEnv = { STUB_ENV_LOG: join(s.dir, 'env.log') };
  return s;
}

function joinCalls(r: RunResult): string[][] {
  return r.calls.filter((c) => c.cmd === 'kubeadm' && c.args[0] === 'join').map((c) => c.args);
}

/** The token must not be in any recorded argv, in any stub's environment or in the output. */
function expectTokenNowhere(s: Sandbox, r: RunResult, token = JOIN_TOKEN): void {
  for (const c of s.calls()) expect(fmt(c), `argv of ${c.cmd}`).not.toContain(token);
  const envLog = join(s.dir, 'env.log');
  expect(existsSync(envLog) ? readFileSync(envLog, 'utf8') : '').not.toContain(token);
  expect(r.stdout + r.stderr).not.toContain(token);
}

function leftoverJoinFiles(s: Sandbox): string[] {
  const run = s.path('/run');
  return existsSync(run) ? readdirSync(run).filter((f) => f.startsWith('labkit-join')) : [];
}

describeWithTools(['linux-userland'], 'worker.sh', () => {
  it('joins with `kubeadm join --config` and a JoinConfiguration holding endpoint, token, CA hash, name, CRI socket', () => {
    sb = provisioned();
    const r = sb.run('worker.sh', WORKER_ENV, [], JOIN_STDIN);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const joins = joinCalls(r);
    expect(joins).toHaveLength(1);
    const [, flag, file] = joins[0] ?? [];
    expect(flag).toBe('--config');
    expect(file).toMatch(new RegExp(`^${sb.path('/run/labkit-join.')}[A-Za-z0-9]{6}$`));
    // the kubeadm stub copied the file it was given: exact content, and the same read as YAML
    const config = readFileSync(join(sb.state, 'join-config.yaml'), 'utf8');
    expect(config).toBe(JOIN_CONFIG);
    expect(parse(config)).toEqual({
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'JoinConfiguration',
      discovery: {
        bootstrapToken: {
          apiServerEndpoint: '192.168.56.10:6443',
          token: JOIN_TOKEN,
          caCertHashes: [CA_HASH],
        },
      },
      nodeRegistration: { name: 'worker-node01', criSocket: 'unix:///run/containerd/containerd.sock' },
    });
    // root-only while it existed, and gone afterwards
    expect(readFileSync(join(sb.state, 'join-config.mode'), 'utf8')).toBe('600\n');
    expect(existsSync(file ?? '')).toBe(false);
    expect(leftoverJoinFiles(sb)).toEqual([]);
    expect(sb.read('/etc/default/kubelet')).toBe('KUBELET_EXTRA_ARGS=--node-ip=192.168.56.11\n');
    expect(r.stdout).toContain('token <redacted>');
  });

  it('the token is in no argv, no environment and no output', () => {
    sb = provisioned();
    const r = sb.run('worker.sh', WORKER_ENV, [], JOIN_STDIN);
    expect(r.status).toBe(0);
    expectTokenNowhere(sb, r);
  });

  it('never prints the token, even under bash -x', () => {
    sb = provisioned();
    const r = sb.run('worker.sh', WORKER_ENV, ['-x'], JOIN_STDIN);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('token <redacted>');
    expectTokenNowhere(sb, r);
  });

  it('writes kubeadm.k8s.io/v1beta3 for a kubeadm older than 1.31 (v1beta4 appeared in 1.31)', () => {
    sb = provisioned();
    sb.extraEnv = { ...sb.extraEnv, STUB_KUBEADM_VERSION: 'v1.30.14' };
    const r = sb.run('worker.sh', WORKER_ENV, [], JOIN_STDIN);
    expect(r.status).toBe(0);
    expect(readFileSync(join(sb.state, 'join-config.yaml'), 'utf8')).toBe(
      JOIN_CONFIG.replace('v1beta4', 'v1beta3'),
    );
  });

  it('removes the JoinConfiguration when kubeadm join fails', () => {
    sb = provisioned();
    sb.extraEnv = { ...sb.extraEnv, STUB_JOIN_FAIL: '1' };
    const r = sb.run('worker.sh', WORKER_ENV, [], JOIN_STDIN);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("couldn't validate the identity of the API Server");
    expect(joinCalls(r)).toHaveLength(1);
    expect(leftoverJoinFiles(sb)).toEqual([]);
    expectTokenNowhere(sb, r);
  });

  it('refuses a missing token (empty stdin) with exit 2 before running kubeadm', () => {
    sb = provisioned();
    const r = sb.run('worker.sh', WORKER_ENV);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      '[labkit] error: no bootstrap token on stdin (worker.sh expects it as the first line of its input)\n',
    );
    expect(r.calls).toEqual([]);
  });

  it('a malformed token is rejected with exit 2 without showing it', () => {
    sb = provisioned();
    const secret = 'NOT-A-TOKEN-s3cr3t';
    const r = sb.run('worker.sh', WORKER_ENV, [], `${secret}\n`);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('the first line of stdin is not a kubeadm bootstrap token');
    expect(r.calls).toEqual([]);
    expectTokenNowhere(sb, r, secret);
  });

  it('accepts a token without a trailing newline', () => {
    sb = provisioned();
    const r = sb.run('worker.sh', WORKER_ENV, [], JOIN_TOKEN);
    expect(r.status).toBe(0);
    expect(readFileSync(join(sb.state, 'join-config.yaml'), 'utf8')).toBe(JOIN_CONFIG);
  });

  it('no longer reads LAB_JOIN_TOKEN: a token in the environment alone is refused', () => {
    sb = provisioned();
    const r = sb.run('worker.sh', { ...WORKER_ENV, LAB_JOIN_TOKEN: JOIN_TOKEN });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no bootstrap token on stdin');
  });

  it('fails clearly when no interface carries the node IP', () => {
    sb = provisioned();
    sb.write('/../state/ip-addr', NODE_IP_LINES('192.168.56.50'));
    const r = sb.run('worker.sh', WORKER_ENV, [], JOIN_STDIN);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no network interface carries LAB_NODE_IP=192.168.56.11 on worker-node01');
    expect(r.calls.some((c) => c.cmd === 'kubeadm')).toBe(false);
  });

  it('a second run changes nothing and runs no state-changing command', () => {
    sb = provisioned();
    expect(sb.run('worker.sh', WORKER_ENV, [], JOIN_STDIN).status).toBe(0);
    const before = sb.snapshot();
    const r = sb.run('worker.sh', WORKER_ENV, [], JOIN_STDIN);
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => !isReadOnly(c)).map(fmt)).toEqual([]);
    expect(sb.snapshot()).toEqual(before);
    expect(r.stdout).toContain('skipping kubeadm join');
    expect(leftoverJoinFiles(sb)).toEqual([]);
  });

  it('rejects a node name that is not an RFC 1123 name (it goes into the YAML file)', () => {
    sb = provisioned();
    const r = sb.run('worker.sh', { ...WORKER_ENV, LAB_NODE_NAME: 'w1"\n  x: y' }, [], JOIN_STDIN);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('LAB_NODE_NAME must be a lowercase RFC 1123 name');
  });

  for (const v of Object.keys(WORKER_ENV)) {
    it(`exits 2 naming ${v} when it is missing`, () => {
      sb = new Sandbox();
      const env = Object.fromEntries(Object.entries(WORKER_ENV).filter(([k]) => k !== v));
      const r = sb.run('worker.sh', env, [], JOIN_STDIN);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`missing required variable ${v}`);
      expect(r.calls).toEqual([]);
    });
  }
});
