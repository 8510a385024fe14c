import { afterEach, describe, expect, it } from 'vitest';
import {
  CA_HASH,
  COMMON_ENV,
  JOIN_TOKEN,
  NODE_IP_LINES,
  Sandbox,
  WORKER_ENV,
  fmt,
  isReadOnly,
} from './harness.ts';

let sb: Sandbox;
afterEach(() => sb.cleanup());

const WORKER_COMMON = {
  ...COMMON_ENV,
  LAB_NODE_NAME: 'worker-node01',
  LAB_NODE_IP: '192.168.56.11',
};

function provisioned(): Sandbox {
  const s = new Sandbox({ nodeIp: '192.168.56.11' });
  const r = s.run('common.sh', WORKER_COMMON);
  if (r.status !== 0) throw new Error(r.stderr);
  return s;
}

describe('worker.sh', () => {
  it('joins with exactly the endpoint, token, CA hash and node name', () => {
    sb = provisioned();
    const r = sb.run('worker.sh', WORKER_ENV);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const join = r.calls.filter((c) => c.cmd === 'kubeadm' && c.args[0] === 'join');
    expect(join.map((c) => c.args)).toEqual([
      [
        'join',
        '192.168.56.10:6443',
        '--token',
        JOIN_TOKEN,
        '--discovery-token-ca-cert-hash',
        CA_HASH,
        '--node-name',
        'worker-node01',
        '--cri-socket',
        'unix:///run/containerd/containerd.sock',
      ],
    ]);
    expect(sb.read('/etc/default/kubelet')).toBe('KUBELET_EXTRA_ARGS=--node-ip=192.168.56.11\n');
  });

  it('never prints the token, even under bash -x', () => {
    sb = provisioned();
    const r = sb.run('worker.sh', WORKER_ENV, ['-x']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--token <redacted>');
    expect(r.stdout + r.stderr).not.toContain(JOIN_TOKEN);
  });

  it('a bad token is rejected with exit 2 without showing it', () => {
    sb = provisioned();
    const secret = 'NOT-A-TOKEN-s3cr3t';
    const r = sb.run('worker.sh', { ...WORKER_ENV, LAB_JOIN_TOKEN: secret });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('LAB_JOIN_TOKEN is not a kubeadm bootstrap token');
    expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('fails clearly when no interface carries the node IP', () => {
    sb = provisioned();
    sb.write('/../state/ip-addr', NODE_IP_LINES('192.168.56.50'));
    const r = sb.run('worker.sh', WORKER_ENV);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no network interface carries LAB_NODE_IP=192.168.56.11 on worker-node01');
    expect(r.calls.some((c) => c.cmd === 'kubeadm')).toBe(false);
  });

  it('a second run changes nothing and runs no state-changing command', () => {
    sb = provisioned();
    expect(sb.run('worker.sh', WORKER_ENV).status).toBe(0);
    const before = sb.snapshot();
    const r = sb.run('worker.sh', WORKER_ENV);
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => !isReadOnly(c)).map(fmt)).toEqual([]);
    expect(sb.snapshot()).toEqual(before);
    expect(r.stdout).toContain('skipping kubeadm join');
  });

  for (const v of Object.keys(WORKER_ENV)) {
    it(`exits 2 naming ${v} when it is missing`, () => {
      sb = new Sandbox();
      const env = Object.fromEntries(Object.entries(WORKER_ENV).filter(([k]) => k !== v));
      const r = sb.run('worker.sh', env);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`missing required variable ${v}`);
      expect(r.calls).toEqual([]);
    });
  }
});
