// What kube-proxy and the node network are given from the cluster state (src/sim/proxy/from-state.ts), MetalLB's
// L2 election, and the coalescing sync loop.
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { applyObject } from '../../../../src/sim/model/api.ts';
import { reconcile } from '../../../../src/sim/model/controller.ts';
import { announcingNode } from '../../../../src/sim/proxy/l2-election.ts';
import { LatestOnly } from '../../../../src/sim/proxy/latest-only.ts';
import {
  nodeNetworkFor,
  proxyFaults,
  proxyInputFor,
  proxyServices,
} from '../../../../src/sim/proxy/from-state.ts';
import { must, SEED_NODES, seedWithService } from '../helpers.ts';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const NODES = SEED_NODES.map((n) => ({ name: n.name, address: n.internalIP }));

async function withLoadBalancer() {
  const state = await seedWithService(NOW);
  applyObject(
    state,
    'Service',
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'hostname-service-lb' },
      spec: { type: 'LoadBalancer', selector: { app: 'webserver' }, ports: [{ port: 8080, targetPort: 80 }] },
    },
    'default',
    NOW,
    undefined,
  );
  reconcile(state, NOW);
  return state;
}

describe('kube-proxy input from the state', () => {
  test("the seed's service: its ClusterIP, named port and the three ready endpoints from the EndpointSlice", async () => {
    const state = await seedWithService(NOW);
    const svc = proxyServices(state).find((s) => s.name === 'hostname-service-clusterip');
    expect(svc).toMatchObject({
      namespace: 'default',
      type: 'ClusterIP',
      clusterIP: '172.17.17.106',
      ports: [{ name: 'web-port', protocol: 'TCP', port: 8080, nodePort: 0 }],
      externalTrafficPolicy: 'Cluster',
    });
    expect(svc?.sessionAffinity).toBeUndefined();
    const eps = (svc?.endpoints['web-port'] ?? []).map((e) => `${e.ip}:${e.port}@${e.nodeName}/${e.ready}`);
    expect(eps.sort()).toEqual([
      '172.16.158.7:80@worker-node02/true',
      '172.16.158.8:80@worker-node02/true',
      '172.16.87.234:80@worker-node01/true',
    ]);
  });

  test('kube-dns is proxied (UDP and TCP 53); `kubernetes` is read from its Endpoints (no selector, no slice)', async () => {
    const state = await seedWithService(NOW);
    const services = proxyServices(state);
    const dns = services.find((s) => s.name === 'kube-dns');
    expect(dns?.clusterIP).toBe(state.cluster.dnsIP);
    expect(dns?.ports.map((p) => `${p.name}/${p.protocol}`)).toEqual([
      'dns/UDP',
      'dns-tcp/TCP',
      'metrics/TCP',
    ]);
    const api = services.find((s) => s.name === 'kubernetes');
    expect(api?.endpoints['https']).toEqual([{ ip: '10.0.0.10', port: 6443, nodeName: '', ready: true }]);
  });

  test('ExternalName and headless Services get no rules; ClientIP affinity carries its timeout', async () => {
    const state = await seedWithService(NOW);
    for (const [name, spec] of [
      ['ext', { type: 'ExternalName', externalName: 'www.example.com' }],
      [
        'headless',
        { type: 'ClusterIP', clusterIP: 'None', selector: { app: 'webserver' }, ports: [{ port: 80 }] },
      ],
      [
        'sticky',
        {
          type: 'ClusterIP',
          selector: { app: 'webserver' },
          ports: [{ port: 80 }],
          sessionAffinity: 'ClientIP',
          sessionAffinityConfig: { clientIP: { timeoutSeconds: 30 } },
        },
      ],
    ] as const)
      applyObject(
        state,
        'Service',
        { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec },
        'default',
        NOW,
        undefined,
      );
    reconcile(state, NOW);
    const names = proxyServices(state).map((s) => s.name);
    expect(names).not.toContain('ext');
    expect(names).not.toContain('headless');
    expect(proxyServices(state).find((s) => s.name === 'sticky')?.sessionAffinity).toEqual({
      timeoutSeconds: 30,
    });
  });

  test('faults: only those of kube-proxy; the ipvs proxy mode is the kube-proxy-ipvs rule set', async () => {
    const state = await seedWithService(NOW);
    state.config.faults = ['dns-broken', 'skewed-balance', 'env-missing'];
    expect(proxyFaults(state)).toEqual(['skewed-balance']);
    state.config.proxyMode = 'ipvs';
    expect(proxyFaults(state)).toEqual(['skewed-balance', 'kube-proxy-ipvs']);
    expect(proxyInputFor(state, must(NODES[1])).faults).toEqual(['skewed-balance', 'kube-proxy-ipvs']);
  });
});

describe('the node network from the state', () => {
  test("routes to the other nodes' blocks via their addresses, the service range via the gateway", async () => {
    const state = await seedWithService(NOW);
    const me = must(NODES[1]);
    const net = nodeNetworkFor(state, NODES, me, '10.0.0.1');
    const others = NODES.filter((n) => n !== me);
    expect(net.blocks).toEqual(
      others.map((n) => ({ cidr: state.ipam.blocks[n.name]?.cidr, via: n.address })),
    );
    expect(net.serviceRoute).toEqual({ cidr: state.cluster.serviceCIDR, via: '10.0.0.1' });
    expect(nodeNetworkFor(state, NODES, me, undefined).serviceRoute).toBeUndefined();
  });

  test("masquerades pod traffic leaving the pod range (Calico's default pool has natOutgoing)", async () => {
    const state = await seedWithService(NOW);
    for (const n of NODES)
      expect(nodeNetworkFor(state, NODES, n, undefined).natOutgoingPool).toBe(state.cluster.podCIDR);
  });

  test('exactly one worker holds a LoadBalancer address: the L2 election winner; never the control plane', async () => {
    const state = await withLoadBalancer();
    const ip = proxyServices(state).find((s) => s.name === 'hostname-service-lb')?.loadBalancerIPs[0];
    expect(ip).toBe('192.168.57.15');
    const holders = NODES.filter((n) =>
      nodeNetworkFor(state, NODES, n, undefined).loadBalancerIPs?.includes(ip ?? ''),
    );
    expect(holders.map((n) => n.name)).toEqual([
      announcingNode(['worker-node01', 'worker-node02'], ip ?? ''),
    ]);
    // No ready endpoint: MetalLB announces nothing.
    for (const pod of state.pods)
      if (pod.object.metadata.labels?.['app'] === 'webserver') pod.object.metadata.labels = {};
    reconcile(state, NOW);
    for (const n of NODES) expect(nodeNetworkFor(state, NODES, n, undefined).loadBalancerIPs).toEqual([]);
  });

  test("MetalLB's order: sha256(node + '#' + ip), smallest first", async () => {
    const key = (n: string) => createHash('sha256').update(`${n}#192.168.57.15`).digest('hex');
    const expected = ['worker-node01', 'worker-node02'].sort((a, b) => (key(a) < key(b) ? -1 : 1))[0];
    expect(announcingNode(['worker-node02', 'worker-node01'], '192.168.57.15')).toBe(expected);
    expect(announcingNode([], '192.168.57.15')).toBeUndefined();
  });
});

describe('LatestOnly', () => {
  test('runs the newest input after the running one, skips a repeat, retries after a failure', async () => {
    const ran: string[] = [];
    let fail = false;
    let release: () => void = () => undefined;
    const errors: unknown[] = [];
    const loop = new LatestOnly<string>(
      async (input) => {
        ran.push(input);
        if (input === 'a') await new Promise<void>((r) => (release = r));
        if (fail) throw new Error('boom');
      },
      (e) => errors.push(e),
    );
    loop.offer('a', 'a');
    loop.offer('b', 'b');
    loop.offer('c', 'c'); // replaces b while a runs
    release();
    await loop.settled();
    expect(ran).toEqual(['a', 'c']);
    loop.offer('c', 'c');
    await loop.settled();
    expect(ran).toEqual(['a', 'c']);
    fail = true;
    loop.offer('d', 'd');
    await loop.settled();
    expect(errors).toHaveLength(1);
    fail = false;
    loop.offer('d', 'd'); // a failed key is not "done": offered again, it runs
    await loop.settled();
    expect(ran).toEqual(['a', 'c', 'd', 'd']);
  });
});
