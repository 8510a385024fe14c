// The issue-15 checks: NodePort on every node (range, fixed port, pod/node/host), LoadBalancer from the pool
// (or <pending> explained), ExternalName CNAME, `kubectl expose` equal in effect, spread via NodePort / LB.
import { afterEach, describe, expect, test } from 'vitest';
import { externalName, parseCnames } from '../../../src/checks/external-name.ts';
import { findCheck } from '../../../src/checks/index.ts';
import { inPools, loadBalancerIp } from '../../../src/checks/load-balancer.ts';
import { nodePortOpen } from '../../../src/checks/node-port.ts';
import { serviceShape, shapeDifferences } from '../../../src/checks/service-shape.ts';
import { serviceSpread } from '../../../src/checks/service-spread.ts';
import { serviceSpreadParams } from '../../../src/checks/check-params.ts';
import { setLanguage } from '../../../src/i18n/index.ts';
import {
  endpoints,
  healthy,
  NODES,
  PODS,
  service,
  typesContext,
  type Answerer,
} from './service-types-fake.ts';

const NP = 'hostname-service-nodeport';
const ports = (nodePort?: number) => [
  { name: 'web-port', port: 8080, targetPort: 80, protocol: 'TCP', ...(nodePort ? { nodePort } : {}) },
];
const nodePortService = (nodePort = 31234, type = 'NodePort') =>
  service(NP, { type, clusterIP: '172.17.40.1', selector: { app: 'webserver' }, ports: ports(nodePort) });

function cluster(answer: Answerer = healthy, svc = nodePortService()) {
  return { services: { [NP]: svc }, endpoints: { [NP]: endpoints(NP) }, answer };
}

afterEach(() => setLanguage('en'));

describe('node-port-open', () => {
  const params = (extra: Record<string, unknown> = {}) =>
    nodePortOpen.params.parse({ service: NP, ...extra });

  test('passes when every node answers from a pod, the master shell and the host; one exec per source', async () => {
    const run = typesContext(cluster());
    const outcome = await nodePortOpen.run(run.ctx, params());
    expect(outcome).toMatchObject({
      ok: true,
      message: 'service hostname-service-nodeport answered on nodePort 31234 of all 3 nodes',
    });
    const urls = NODES.map((n) => `http://${n.ip}:31234/`);
    expect(run.hostUrls).toEqual(urls);
    expect(run.calls.filter((c) => c[0] === 'exec')).toHaveLength(1);
    expect(run.calls.filter((c) => c[0] === 'exec@master-node')).toHaveLength(1);
    expect(outcome.observed?.['answers']).toHaveLength(9);
  });

  test('a fixed nodePort must be that port; an allocated one must be in 30000-32767', async () => {
    const run = typesContext(cluster());
    const outcome = await nodePortOpen.run(run.ctx, params({ nodePort: 31000 }));
    expect(outcome).toMatchObject({
      ok: false,
      progress: 'settled',
      actual: '31234',
      expected: 'nodePort 31000',
    });
    expect(outcome.message).toContain(
      'has nodePort 31234, expected the fixed 31000: set ports[].nodePort: 31000',
    );
    const out = await nodePortOpen.run(typesContext(cluster(healthy, nodePortService(29999))).ctx, params());
    expect(out.message).toBe(
      'service hostname-service-nodeport has nodePort 29999, outside the NodePort range 30000-32767',
    );
    expect(nodePortOpen.params.safeParse({ nodePort: 32768 }).success).toBe(false);
  });

  test('a ClusterIP Service is named as the wrong type', async () => {
    const svc = service(NP, { type: 'ClusterIP', clusterIP: '172.17.40.1', ports: ports() });
    const outcome = await nodePortOpen.run(typesContext(cluster(healthy, svc)).ctx, params());
    expect(outcome.message).toContain(
      'is type ClusterIP: only NodePort and LoadBalancer Services open a port',
    );
  });

  test('nodeport-one-node: open only on the nodes running a pod is named as such', async () => {
    const onlyWorkers: Answerer = (_s, url, i) =>
      url.includes('192.168.56.10') ? null : healthy('', url, i);
    const outcome = await nodePortOpen.run(typesContext(cluster(onlyWorkers)).ctx, params());
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toBe(
      "service hostname-service-nodeport's nodePort 31234 answers only on the nodes running its pods (worker-node01, worker-node02), not on master-node: a NodePort must be open on every node (externalTrafficPolicy Local? kube-proxy running on master-node?)",
    );
  });

  test('silent only from the host: the source is named', async () => {
    const hostBlocked: Answerer = (s, url, i) =>
      s === 'host' && url.includes('.11:') ? null : healthy(s, url, i);
    const outcome = await nodePortOpen.run(typesContext(cluster(hostBlocked)).ctx, params());
    expect(outcome.message).toBe(
      'http://192.168.56.11:31234/ (node worker-node01) did not answer from the labkit host (1 of 9 tries silent): is kube-proxy running on worker-node01? a firewall on the node?',
    );
  });

  test('a page from a pod that is not an endpoint fails; no host-side request available is said', async () => {
    const stranger: Answerer = (_s, _u, i) => (i === 4 ? 'other-pod' : healthy('', '', i));
    const bad = await nodePortOpen.run(typesContext(cluster(stranger)).ctx, params());
    expect(bad.message).toContain('was answered by other-pod, which is not an endpoint');
    const run = typesContext({ ...cluster(), hostHttp: false });
    const outcome = await nodePortOpen.run(run.ctx, params());
    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.message).toContain('(the host-side request was not available here)');
  });

  test('in Korean', async () => {
    setLanguage('ko');
    const outcome = await nodePortOpen.run(typesContext(cluster()).ctx, params({ nodePort: 31000 }));
    expect(outcome.message).toContain('nodePort가 31234입니다. 지정한 31000이어야 합니다');
  });
});

describe('load-balancer-ip', () => {
  const LB = 'hostname-service-lb';
  const lb = (ip?: string) =>
    service(
      LB,
      { type: 'LoadBalancer', clusterIP: '172.17.40.2', selector: { app: 'webserver' }, ports: ports(30080) },
      ip ? { loadBalancer: { ingress: [{ ip }] } } : { loadBalancer: {} },
    );
  const lbCluster = (ip?: string, extra: Record<string, unknown> = {}) => ({
    services: { [LB]: lb(ip) },
    endpoints: { [LB]: endpoints(LB) },
    answer: healthy,
    ...extra,
  });
  const params = (extra: Record<string, unknown> = {}) =>
    loadBalancerIp.params.parse({ service: LB, ...extra });
  const metallb = { metallb: { enabled: true, pool: '192.168.56.240-192.168.56.250' } };

  test('an address from the configured pool that answers from the host passes', async () => {
    const run = typesContext(lbCluster('192.168.56.240', { facts: metallb }));
    const outcome = await loadBalancerIp.run(run.ctx, params());
    expect(outcome).toMatchObject({
      ok: true,
      message:
        'service hostname-service-lb has EXTERNAL-IP 192.168.56.240 from 192.168.56.240-192.168.56.250 and it answers from the labkit host',
    });
    expect(run.hostUrls).toEqual(['http://192.168.56.240:8080/']);
  });

  test('outside the pool fails naming both; the pool comes from the cluster when the config does not say', async () => {
    const outcome = await loadBalancerIp.run(
      typesContext(lbCluster('10.9.9.9', { facts: metallb })).ctx,
      params(),
    );
    expect(outcome).toMatchObject({ ok: false, progress: 'settled' });
    expect(outcome.message).toContain(
      'has EXTERNAL-IP 10.9.9.9, outside the MetalLB pool 192.168.56.240-192.168.56.250',
    );
    const fromCluster = await loadBalancerIp.run(
      typesContext(lbCluster('192.168.57.99', { pools: ['192.168.57.15-192.168.57.19'] })).ctx,
      params(),
    );
    expect(fromCluster.message).toContain('outside the MetalLB pool 192.168.57.15-192.168.57.19');
  });

  test('lb-pending: no address with a provider expected fails explaining <pending>', async () => {
    const outcome = await loadBalancerIp.run(
      typesContext(lbCluster(undefined, { facts: metallb })).ctx,
      params(),
    );
    expect(outcome).toMatchObject({ ok: false, actual: '<pending>' });
    expect(outcome.message).toContain(
      'has no EXTERNAL-IP (<pending>): no load-balancer provider gave it one',
    );
    expect(outcome.message).toContain('kubectl -n metallb-system get pods');
  });

  test('metallb.enabled false: <pending> passes, explaining what provides external IPs', async () => {
    const facts = { metallb: { enabled: false, pool: '' } };
    const outcome = await loadBalancerIp.run(typesContext(lbCluster(undefined, { facts })).ctx, params());
    expect(outcome.ok).toBe(true);
    expect(outcome.message).toContain('EXTERNAL-IP <pending>, as expected here');
    expect(outcome.message).toContain('a cloud platform');
    expect(outcome.message).toContain('MetalLB');
    expect(outcome.message).toContain('port 30080');
    setLanguage('ko');
    const ko = await loadBalancerIp.run(typesContext(lbCluster(undefined, { facts })).ctx, params());
    expect(ko.message).toContain('클라우드 플랫폼의 로드 밸런서');
  });

  test('an address that does not answer from the host fails naming the ARP side', async () => {
    const silent: Answerer = (s, u, i) => (s === 'host' ? null : healthy(s, u, i));
    const outcome = await loadBalancerIp.run(
      typesContext({ ...lbCluster('192.168.56.241', { facts: metallb }), answer: silent }).ctx,
      params(),
    );
    expect(outcome.message).toBe(
      'http://192.168.56.241:8080/ did not answer from the labkit host (ECONNREFUSED): does a node answer ARP for it (MetalLB speaker pods Running, an L2Advertisement for the pool)?',
    );
  });

  test('inPools reads ranges and CIDRs', () => {
    expect(inPools('192.168.56.244', ['192.168.56.240/29'])).toBe(true);
    expect(inPools('192.168.56.248', ['192.168.56.240/29'])).toBe(false);
    expect(inPools('nonsense', ['192.168.56.240/29'])).toBe(false);
  });
});

describe('external-name', () => {
  const EN = 'hostname-service-externalname';
  const FQDN = `${EN}.default.svc.cluster.local`;
  const BUSYBOX = `Server:\t\t172.17.0.10\nAddress:\t172.17.0.10:53\n\n${FQDN}\tcanonical name = www.example.com\nName:\twww.example.com\nAddress: 93.184.215.14\n`;
  const en = (spec: Record<string, unknown>) =>
    service(EN, { type: 'ExternalName', externalName: 'www.example.com', ...spec });
  const params = externalName.params.parse({});

  test('passes: no ClusterIP, no endpoints, the CNAME is exact', async () => {
    const run = typesContext({
      services: { [EN]: en({}) },
      endpoints: {},
      answer: healthy,
      nslookup: BUSYBOX,
    });
    const outcome = await externalName.run(run.ctx, params);
    expect(outcome).toMatchObject({
      ok: true,
      message: `${FQDN} is a CNAME to www.example.com; no ClusterIP, no endpoints`,
    });
    expect(run.calls.find((c) => c[0] === 'exec')?.at(-1)).toBe(`nslookup ${FQDN} 2>&1; true`);
  });

  test('a wrong target, a ClusterIP, endpoints or no CNAME each fail naming it', async () => {
    const wrong = BUSYBOX.replace('canonical name = www.example.com', 'canonical name = example.org.');
    const cases: [Record<string, unknown>, Record<string, unknown>, string, string][] = [
      [{}, {}, wrong, `${FQDN} is a CNAME to example.org, expected www.example.com`],
      [
        { externalName: 'example.org' },
        {},
        BUSYBOX,
        `service ${EN} has externalName example.org, expected www.example.com`,
      ],
      [
        { type: 'ClusterIP', clusterIP: '172.17.1.1' },
        {},
        BUSYBOX,
        `service ${EN} is type ClusterIP, expected ExternalName`,
      ],
      [
        {},
        { [EN]: endpoints(EN) },
        BUSYBOX,
        `service ${EN} has endpoints (172.16.0.2, 172.16.0.3, 172.16.0.4)`,
      ],
      [{}, {}, "Server: 172.17.0.10\n** server can't find x: NXDOMAIN", `nslookup ${FQDN} from pod`],
    ];
    for (const [spec, eps, nslookup, message] of cases) {
      const outcome = await externalName.run(
        typesContext({ services: { [EN]: en(spec) }, endpoints: eps, answer: healthy, nslookup }).ctx,
        params,
      );
      expect(outcome.ok).toBe(false);
      expect(outcome.message).toContain(message);
    }
  });

  test('parseCnames reads busybox and bind output', () => {
    expect(parseCnames(`a.b.svc.cluster.local.\tcanonical name = www.example.com.\n`)).toEqual([
      { name: 'a.b.svc.cluster.local', target: 'www.example.com' },
    ]);
    expect(parseCnames('Name: x\nAddress: 1.2.3.4')).toEqual([]);
  });
});

describe('service-shape (kubectl expose)', () => {
  const EX = 'hostname-service-expose';
  // What `kubectl expose deployment hostname-deployment --type=NodePort --port=8080 --target-port=80` makes.
  const exposed = service(EX, {
    type: 'NodePort',
    clusterIP: '172.17.40.9',
    selector: { app: 'webserver' },
    ports: [{ port: 8080, protocol: 'TCP', targetPort: 80, nodePort: 30123 }],
  });
  const params = serviceShape.params.parse({});

  test('an exposed Service equal in effect to the manifest passes (port names are not compared)', async () => {
    const outcome = await serviceShape.run(
      typesContext({ services: { [EX]: exposed }, endpoints: {}, answer: healthy }).ctx,
      params,
    );
    expect(outcome).toMatchObject({
      ok: true,
      message:
        'service hostname-service-expose is equal in effect: NodePort, selector app=webserver, ports 8080→80/TCP',
    });
  });

  test('every difference is listed at once', async () => {
    const wrong = service(EX, {
      type: 'ClusterIP',
      selector: { app: 'webserver', tier: 'x' },
      ports: [{ port: 8080, targetPort: 8080 }, { port: 9090 }],
    });
    const outcome = await serviceShape.run(
      typesContext({ services: { [EX]: wrong }, endpoints: {}, answer: healthy }).ctx,
      params,
    );
    expect(outcome.message).toBe(
      "service hostname-service-expose is not equal in effect to the manifest's: type ClusterIP, expected NodePort (kubectl expose --type=NodePort); selector app=webserver,tier=x, expected app=webserver; port 8080 has targetPort 8080, expected 80 (kubectl expose --target-port=80); an extra port 9090/TCP",
    );
    expect(shapeDifferences(exposed, params)).toEqual([]);
  });
});

describe('service-spread via node-port and load-balancer', () => {
  test("through the control plane node's nodePort, with the same statistics", async () => {
    const run = typesContext(cluster());
    const outcome = await serviceSpread.run(
      run.ctx,
      serviceSpreadParams.parse({ service: NP, via: 'node-port' }),
    );
    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.observed?.['url']).toBe('http://192.168.56.10:31234/');
    expect(outcome.observed?.spread?.what).toBe('60 requests by 192.168.56.10:31234 over 3 pods');
    const worker = await serviceSpread.run(
      typesContext(cluster()).ctx,
      serviceSpreadParams.parse({ service: NP, via: 'node-port', node: 'worker-node02' }),
    );
    expect(worker.observed?.['url']).toBe('http://192.168.56.12:31234/');
  });

  test('a skewed NodePort fails uniformity as ClusterIP does', async () => {
    const skewed: Answerer = (_s, _u, i) => (i % 10 < 8 ? PODS[0] : PODS[1 + (i % 2)]) ?? null;
    const outcome = await serviceSpread.run(
      typesContext(cluster(skewed)).ctx,
      serviceSpreadParams.parse({ service: NP, via: 'node-port' }),
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toContain('answers are not spread evenly');
  });

  test('through the EXTERNAL-IP; <pending> fails unless MetalLB is off, then through the nodePort', async () => {
    const lb = (ingress?: string) =>
      service(
        NP,
        {
          type: 'LoadBalancer',
          clusterIP: '172.17.40.1',
          selector: { app: 'webserver' },
          ports: ports(31234),
        },
        {
          loadBalancer: ingress ? { ingress: [{ ip: ingress }] } : {},
        },
      );
    const p = serviceSpreadParams.parse({ service: NP, via: 'load-balancer' });
    const on = await serviceSpread.run(typesContext(cluster(healthy, lb('192.168.56.240'))).ctx, p);
    expect(on.observed?.['url']).toBe('http://192.168.56.240:8080/');
    const pending = await serviceSpread.run(typesContext(cluster(healthy, lb())).ctx, p);
    expect(pending.message).toContain('has no EXTERNAL-IP (<pending>)');
    const off = await serviceSpread.run(
      typesContext({ ...cluster(healthy, lb()), facts: { metallb: { enabled: false, pool: '' } } }).ctx,
      p,
    );
    expect(off).toMatchObject({ ok: true });
    expect(off.observed?.['url']).toBe('http://192.168.56.10:31234/');
  });
});

test('the new checks are registered', () => {
  for (const name of ['node-port-open', 'load-balancer-ip', 'external-name', 'service-shape'])
    expect(findCheck(name)?.name).toBe(name);
});
