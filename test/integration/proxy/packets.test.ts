// Real packets through the rules src/sim/proxy renders: two node netns on a LAN of our own, three backend
// pods, client pods, an outside netns. Every name starts with lkpx; afterAll removes everything.
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { judgeRandomSpread, judgeRotation } from '../../../src/checks/spread-stats.ts';
import {
  RuleApplier,
  renderRules,
  syncNodeNetwork,
  servicePortName,
  svcChain,
  type ProxyFault,
  type ProxyService,
} from '../../../src/sim/proxy/index.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';
import { Lab, NODES, OUTSIDE, type Pod } from './lab.ts';

const REQUESTS = 300;

describeWithTools(['root-netns', 'iptables'], 'kube-proxy rules with real packets', () => {
  const lab = new Lab();
  const applier = new RuleApplier();
  let backends: Pod[] = [];
  let client: Pod;
  let client2: Pod;

  const eps = (pods: readonly Pod[]) => ({
    '': pods.map((p) => ({ ip: p.ip, port: 8080, nodeName: p.node.name, ready: true })),
  });
  const services = (): ProxyService[] => {
    const base = { namespace: 'default', loadBalancerIPs: [], externalTrafficPolicy: 'Cluster' as const };
    const port = (nodePort: number) => [{ name: '', protocol: 'TCP' as const, port: 80, nodePort }];
    return [
      {
        ...base,
        name: 'web',
        type: 'NodePort',
        clusterIP: '172.17.0.50',
        ports: port(31000),
        endpoints: eps(backends),
      },
      {
        ...base,
        name: 'sticky',
        type: 'ClusterIP',
        clusterIP: '172.17.0.51',
        ports: port(0),
        sessionAffinity: { timeoutSeconds: 60 },
        endpoints: eps(backends),
      },
      { ...base, name: 'empty', type: 'ClusterIP', clusterIP: '172.17.0.52', ports: port(0), endpoints: {} },
      {
        ...base,
        name: 'solo',
        type: 'NodePort',
        clusterIP: '172.17.0.53',
        ports: port(31001),
        endpoints: eps(backends.filter((p) => p.node.name === 'node2')),
      },
    ];
  };
  const applyAll = async (faults: ProxyFault[]) => {
    for (const node of NODES)
      await applier.apply(
        node.netns,
        renderRules({
          nodeName: node.name,
          nodeIPs: [node.address],
          clusterCIDR: '172.16.0.0/16',
          services: services(),
          faults,
        }),
      );
  };
  const names = () => backends.map((p) => p.name);
  const countsOf = (answers: readonly string[]) => names().map((n) => answers.filter((a) => a === n).length);

  beforeAll(async () => {
    await lab.up();
    backends = [
      await lab.addPod('b1', NODES[0], '172.16.10.2', true),
      await lab.addPod('b2', NODES[0], '172.16.10.3', true),
      await lab.addPod('b3', NODES[1], '172.16.10.66', true),
    ];
    client = await lab.addPod('cli', NODES[0], '172.16.10.10', false);
    client2 = await lab.addPod('cli2', NODES[1], '172.16.10.70', false);
    for (const node of NODES)
      await syncNodeNetwork(node.netns, {
        blocks: NODES.filter((o) => o !== node).map((o) => ({ cidr: o.block, via: o.address })),
        natOutgoingPool: '172.16.0.0/16',
      });
    await lab.serversReady();
    await applyAll([]);
  }, 60_000);

  afterAll(async () => {
    await lab.down();
  }, 30_000);

  it(`spreads ${REQUESTS} ClusterIP requests over 3 backends on 2 nodes (chi-squared)`, async () => {
    const { answers } = await lab.request(client.netns, 'http://172.17.0.50/', REQUESTS, 2000);
    const verdict = judgeRandomSpread(countsOf(answers));
    expect(answers.filter((a) => a.startsWith('ERR')).length, JSON.stringify(countsOf(answers))).toBe(0);
    expect(verdict.ok, JSON.stringify({ counts: countsOf(answers), verdict })).toBe(true);
  });

  it('pins each client to one backend with ClientIP affinity', async () => {
    for (const c of [client, client2]) {
      const { answers } = await lab.request(c.netns, 'http://172.17.0.51/', 30, 2000);
      expect(new Set(answers).size, answers.join(',')).toBe(1);
      expect(names()).toContain(answers[0]);
    }
  });

  it('refuses a service without endpoints at once (REJECT)', async () => {
    const { answers, ms } = await lab.request(client.netns, 'http://172.17.0.52/', 1, 3000);
    expect(answers).toEqual(['ERR:ECONNREFUSED']);
    expect(ms).toBeLessThan(1000);
  });

  it('answers the NodePort from outside on both node addresses, spread over all backends', async () => {
    for (const node of NODES) {
      const { answers } = await lab.request(OUTSIDE, `http://${node.address}:31000/`, 60, 2000);
      expect(
        answers.every((a) => names().includes(a)),
        answers.join(','),
      ).toBe(true);
      expect(new Set(answers).size).toBe(3);
    }
  });

  it('nodeport-one-node: the NodePort answers only on the node with a ready endpoint', async () => {
    await applyAll(['nodeport-one-node']);
    try {
      const on2 = await lab.request(OUTSIDE, `http://${NODES[1].address}:31001/`, 5, 2000);
      expect(on2.answers).toEqual(Array(5).fill('b3'));
      const on1 = await lab.request(OUTSIDE, `http://${NODES[0].address}:31001/`, 1, 1000);
      expect(on1.answers).toEqual(['ERR:timeout']);
    } finally {
      await applyAll([]);
    }
  });

  it("nodeport-one-node from pods: Calico's natOutgoing makes another node's NodePort answer from its own pods only", async () => {
    // Without the masquerade, node2 would short-circuit the pod's packet to any endpoint (the Local policy's
    // "pod traffic" rule) and b1/b2's replies would go straight back on node1, past node2's DNAT: silent.
    await applyAll(['nodeport-one-node']);
    try {
      const to2 = await lab.request(client.netns, `http://${NODES[1].address}:31000/`, 20, 2000);
      expect(to2.answers).toEqual(Array(20).fill('b3'));
      const to1 = await lab.request(client2.netns, `http://${NODES[0].address}:31000/`, 20, 2000);
      expect(new Set(to1.answers), to1.answers.join(',')).toEqual(new Set(['b1', 'b2']));
      const solo = await lab.request(client2.netns, `http://${NODES[0].address}:31001/`, 1, 1000);
      expect(solo.answers).toEqual(['ERR:timeout']);
    } finally {
      await applyAll([]);
    }
  });

  it('skewed-balance fails the chi-squared test', async () => {
    await applyAll(['skewed-balance']);
    try {
      const { answers } = await lab.request(client.netns, 'http://172.17.0.50/', REQUESTS, 2000);
      const verdict = judgeRandomSpread(countsOf(answers));
      expect(verdict.ok, JSON.stringify(countsOf(answers))).toBe(false);
      expect(countsOf(answers)[0] ?? 0).toBeGreaterThan(0.7 * REQUESTS);
    } finally {
      await applyAll([]);
    }
  });

  it('kube-proxy-ipvs rotates through the endpoints (nth rules)', async () => {
    await applyAll(['kube-proxy-ipvs']);
    try {
      const { answers } = await lab.request(client.netns, 'http://172.17.0.50/', 30, 2000);
      const verdict = judgeRotation(answers, 3);
      expect(verdict.ok, answers.join(',')).toBe(true);
    } finally {
      await applyAll([]);
    }
  });

  it('blackhole-endpoint drops the lowest endpoint by service and by pod IP', async () => {
    await applyAll(['blackhole-endpoint']);
    try {
      for (const c of [client, client2]) {
        const direct = await lab.request(c.netns, 'http://172.16.10.2:8080/', 1, 1000);
        expect(direct.answers).toEqual(['ERR:timeout']);
      }
      const other = await lab.request(client.netns, 'http://172.16.10.3:8080/', 1, 1000);
      expect(other.answers).toEqual(['b2']);
      const { answers } = await lab.request(client.netns, 'http://172.17.0.50/', 30, 300);
      expect(answers).not.toContain('b1');
      expect(answers).toContain('ERR:timeout');
    } finally {
      await applyAll([]);
    }
  });

  it('applies only changed text, deletes the chains of a removed service, names the netns on failure', async () => {
    const node = NODES[0];
    const render = (all: ProxyService[]) =>
      renderRules({ nodeName: node.name, clusterCIDR: '172.16.0.0/16', services: all, faults: [] });
    const nat = async () =>
      (await execa('ip', ['netns', 'exec', node.netns, 'iptables-save', '-t', 'nat'], { timeout: 10_000 }))
        .stdout;
    expect(await applier.apply(node.netns, render(services()))).toBe(false);
    const solo = svcChain(servicePortName('default', 'solo', ''), 'TCP');
    expect(await nat()).toContain(`:${solo} `);
    try {
      expect(await applier.apply(node.netns, render(services().filter((s) => s.name !== 'solo')))).toBe(true);
      const after = await nat();
      expect(after).not.toContain(solo);
      // The hooks from the built-in chains are there once, not once per sync.
      expect(after.match(/-A PREROUTING .*-j KUBE-SERVICES/g)).toHaveLength(1);
    } finally {
      await applyAll([]);
    }
    await expect(applier.apply('lkpx-missing', render(services()))).rejects.toThrow(
      /network namespace lkpx-missing failed: \S/,
    );
  });
});
