import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { describeWithTools } from '../../helpers/with-tools.ts';
import { Sandbox, fixturesDir, fmt, isReadOnly, type Call } from './harness.ts';

let sb: Sandbox;
afterEach(() => sb.cleanup());

const POOL = '192.168.56.240-192.168.56.250';
const URL = 'https://raw.githubusercontent.com/metallb/metallb/v0.16.1/config/manifests/metallb-native.yaml';
const FIXTURE_SHA = createHash('sha256')
  .update(readFileSync(join(fixturesDir, 'metallb-native-v0.16.1.yaml')))
  .digest('hex');
const WITHOUT_SHA = {
  LAB_METALLB_VERSION: 'v0.16.1',
  LAB_METALLB_POOL: POOL,
  LAB_METALLB_WAIT_SECONDS: '30',
  LAB_METALLB_POLL_SECONDS: '0',
};
// The fixture is a trimmed manifest, so its sha256 is given as metallb.manifestSha256 would give it.
const ENV = { ...WITHOUT_SHA, LAB_METALLB_SHA256: FIXTURE_SHA };

/** A control plane kubeadm initialised: admin.conf exists. */
function controlPlane(): Sandbox {
  const s = new Sandbox();
  s.write('/etc/kubernetes/admin.conf', 'apiVersion: v1\nkind: Config\n');
  return s;
}

/** kubectl and curl calls of a run, without the kubeconfig and request-timeout flags every kubectl gets. */
function clusterCalls(calls: Call[], s: Sandbox): string[] {
  return calls
    .filter((c) => c.cmd === 'kubectl' || c.cmd === 'curl')
    .map((c) =>
      fmt(c).replace(`--kubeconfig ${s.path('/etc/kubernetes/admin.conf')} --request-timeout=30s `, ''),
    );
}

const MANIFEST = '/var/lib/labkit/metallb-v0.16.1-native.yaml';
const POOL_FILE = '/var/lib/labkit/metallb-pool.yaml';

describeWithTools(['linux-userland'], 'metallb.sh', () => {
  it('downloads the pinned manifest, checks its sha256, applies it, waits, then applies the L2 pool', () => {
    sb = controlPlane();
    sb.write('/../state/webhook-down', '2\n'); // the webhook's endpoints come a moment after the controller
    const r = sb.run('metallb.sh', ENV);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const manifest = sb.path(MANIFEST);
    const pool = sb.path(POOL_FILE);
    expect(clusterCalls(r.calls, sb)).toEqual([
      'kubectl -n metallb-system get deployment controller -o jsonpath={.spec.template.spec.containers[0].image}',
      `curl -fsSL --retry 5 -o ${manifest}.part ${URL}`,
      `kubectl apply --server-side --force-conflicts -f ${manifest}`,
      'kubectl -n metallb-system rollout status deployment/controller --timeout=30s',
      'kubectl -n metallb-system rollout status daemonset/speaker --timeout=30s',
      `kubectl apply -f ${pool}`,
      `kubectl apply -f ${pool}`,
      `kubectl apply -f ${pool}`,
      'kubectl -n metallb-system get ipaddresspools.metallb.io labkit-pool -o jsonpath={.spec.addresses[*]}',
    ]);
    expect(r.stdout).toContain(`[labkit] metallb: manifest sha256 verified (${FIXTURE_SHA})\n`);
    expect(r.stdout).toContain('[labkit] metallb: pool not accepted yet (Error from server (InternalError)');
    expect(r.stdout).toContain('ipaddresspool.metallb.io/labkit-pool created\n');
    expect(r.stdout).toContain(`[labkit] metallb: MetalLB v0.16.1 ready: L2 pool ${POOL}\n`);
    expect(sb.read(POOL_FILE)).toBe(
      [
        'apiVersion: metallb.io/v1beta1',
        'kind: IPAddressPool',
        'metadata:',
        '  name: labkit-pool',
        '  namespace: metallb-system',
        'spec:',
        '  addresses:',
        `    - ${POOL}`,
        '---',
        'apiVersion: metallb.io/v1beta1',
        'kind: L2Advertisement',
        'metadata:',
        '  name: labkit-l2',
        '  namespace: metallb-system',
        'spec:',
        '  ipAddressPools:',
        '    - labkit-pool',
        '',
      ].join('\n'),
    );
  });

  it('a second run leaves the installed release alone and finds the pool unchanged', () => {
    sb = controlPlane();
    expect(sb.run('metallb.sh', ENV).status).toBe(0);
    const before = sb.snapshot();
    const r = sb.run('metallb.sh', ENV);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      '[labkit] metallb: MetalLB v0.16.1 already installed; skipping the manifest\n',
    );
    expect(r.stdout).toContain('ipaddresspool.metallb.io/labkit-pool unchanged\n');
    // The only call that could change anything is the (idempotent) pool apply; no file was rewritten.
    expect(r.calls.filter((c) => !isReadOnly(c) && c.cmd !== 'sha256sum').map((c) => c.cmd)).not.toContain(
      'curl',
    );
    expect(clusterCalls(r.calls, sb).filter((c) => c.includes('apply'))).toEqual([
      `kubectl apply -f ${sb.path(POOL_FILE)}`,
    ]);
    expect(sb.snapshot()).toEqual(before);
  });

  it('a changed pool is applied again (configured)', () => {
    sb = controlPlane();
    expect(sb.run('metallb.sh', ENV).status).toBe(0);
    const r = sb.run('metallb.sh', { ...ENV, LAB_METALLB_POOL: '192.168.56.200/29' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ipaddresspool.metallb.io/labkit-pool configured\n');
    expect(r.stdout).toContain('ready: L2 pool 192.168.56.200/29\n');
  });

  it('refuses a manifest whose sha256 is not the release one and applies nothing', () => {
    sb = controlPlane();
    const r = sb.run('metallb.sh', WITHOUT_SHA); // the trimmed fixture is not v0.16.1's real manifest
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `[labkit] error: ${URL} has sha256 ${FIXTURE_SHA}, not MetalLB v0.16.1's bf25feebb7582ca7df845efd52ffbc2960d6cbf4cfc972f47fded9f788b67f0b: a proxy or mirror changed it. Nothing was applied.\n`,
    );
    expect(clusterCalls(r.calls, sb).some((c) => c.includes('apply'))).toBe(false);
    expect(() => sb.read(MANIFEST)).toThrow();
    expect(() => sb.read(`${MANIFEST}.part`)).toThrow();
  });

  it('says so when it applies a release it has no checksum for', () => {
    sb = controlPlane();
    const r = sb.run('metallb.sh', { ...WITHOUT_SHA, LAB_METALLB_VERSION: 'v0.99.0' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      '[labkit] metallb: no sha256 on record for MetalLB v0.99.0 (set metallb.manifestSha256 to pin it): the manifest is applied unverified\n',
    );
  });

  it('gives up on a webhook that never answers, with the API server’s message', () => {
    sb = controlPlane();
    sb.write('/../state/webhook-down', 'always\n');
    const r = sb.run('metallb.sh', { ...ENV, LAB_METALLB_WAIT_SECONDS: '0' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^\[labkit\] error: the MetalLB pool could not be applied within 0s: Error from server \(InternalError\).*failed calling webhook "ipaddresspoolvalidationwebhook\.metallb\.io"/,
    );
  });

  it.each(['controller', 'speaker'])('names the MetalLB part that did not become ready (%s)', (part) => {
    sb = controlPlane();
    sb.write('/../state/rollout-fails', `${part}\n`);
    const r = sb.run('metallb.sh', ENV);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      part === 'controller'
        ? "MetalLB's controller did not become available within 30s: see kubectl -n metallb-system get pods"
        : "MetalLB's speakers did not become ready within 30s: see kubectl -n metallb-system get pods -o wide",
    );
  });

  it.each([
    [
      { LAB_METALLB_POOL: '192.168.56.240' },
      "LAB_METALLB_POOL must be first-last or a CIDR (got '192.168.56.240')",
    ],
    [{ LAB_METALLB_POOL: '192.168.56.240-1.2.3' }, 'LAB_METALLB_POOL must be first-last or a CIDR'],
    [{ LAB_METALLB_VERSION: 'latest' }, "LAB_METALLB_VERSION must look like v0.16.1 (got 'latest')"],
    [{ LAB_METALLB_SHA256: 'abc' }, 'LAB_METALLB_SHA256 must be 64 lowercase hex digits'],
  ])('rejects bad input %o before touching the cluster', (bad, message) => {
    sb = controlPlane();
    const r = sb.run('metallb.sh', { ...ENV, ...bad });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(clusterCalls(r.calls, sb)).toEqual([]);
  });

  it('needs an initialised control plane', () => {
    sb = new Sandbox();
    const r = sb.run('metallb.sh', ENV);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('/etc/kubernetes/admin.conf is missing');
  });
});
