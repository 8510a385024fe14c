import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sepChain, servicePortName, svcChain, extChain } from '../../../../src/sim/proxy/chain-names.ts';
import { probability, renderRules } from '../../../../src/sim/proxy/rules.ts';
import { withStaleChainsDeleted } from '../../../../src/sim/proxy/apply.ts';
import type { ProxyInput } from '../../../../src/sim/proxy/types.ts';

const ep = (ip: string, nodeName = 'node1') => ({ ip, port: 80, nodeName });
function input(
  over: Partial<ProxyInput['services'][number]> = {},
  faults: ProxyInput['faults'] = [],
): ProxyInput {
  return {
    nodeName: 'node1',
    clusterCIDR: '10.0.0.0/8',
    faults,
    services: [
      {
        namespace: 'ns1',
        name: 'svc1',
        type: 'ClusterIP',
        clusterIP: '172.30.0.41',
        ports: [{ name: 'p80', protocol: 'TCP', port: 80, nodePort: 0 }],
        endpoints: { p80: [ep('10.180.0.1')] },
        ...over,
      },
    ],
  };
}

describe('kube-proxy chain names', () => {
  it('match proxier_test.go for ns1/svc1:p80', () => {
    const spn = servicePortName('ns1', 'svc1', 'p80');
    expect(svcChain(spn, 'TCP')).toBe('KUBE-SVC-XPGD46QRK7WJZT7O');
    expect(extChain(spn, 'TCP')).toBe('KUBE-EXT-XPGD46QRK7WJZT7O');
    expect(sepChain(spn, 'TCP', '10.180.0.1:80')).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ');
  });
  it('are the first 16 base32 characters of sha256, computed here independently', () => {
    // RFC 4648 base32 through a bit string: a second encoder, so a bug in chain-names.ts cannot hide.
    const bits = [...createHash('sha256').update('ns1/svc1:p80tcp').digest()]
      .map((b) => b.toString(2).padStart(8, '0'))
      .join('');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const hand = (bits.slice(0, 80).match(/.{5}/g) ?? []).map((g) => alphabet[parseInt(g, 2)]).join('');
    // XPGD46QRK7WJZT7O is also what kube-proxy's proxier_test.go expects for ns1/svc1:p80.
    expect(hand).toBe('XPGD46QRK7WJZT7O');
    expect(svcChain(servicePortName('ns1', 'svc1', 'p80'), 'TCP')).toBe(`KUBE-SVC-${hand}`);
  });
  it('leave out the colon for an unnamed port', () => {
    expect(servicePortName('ns', 'svc', '')).toBe('ns/svc');
  });
});

describe('renderRules', () => {
  it('writes the ClusterIP rules as proxier_test.go expects them', () => {
    const text = renderRules(input());
    expect(text).toContain(
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O',
    );
    expect(text).toContain(
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
    );
    expect(text).toContain(
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ',
    );
    expect(text).toContain(
      '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ',
    );
    expect(text).toContain(
      '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80',
    );
    expect(text).toContain(
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    );
    expect(text).toContain('-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000');
  });

  it('uses 1/(n-i) with ten decimals', () => {
    expect(probability(3)).toBe('0.3333333333');
    expect(probability(2)).toBe('0.5000000000');
    const text = renderRules(
      input({ endpoints: { p80: [ep('10.180.0.3'), ep('10.180.0.1'), ep('10.180.0.2')] } }),
    );
    const picks = [...text.matchAll(/--probability (\S+)/g)].map((m) => m[1]);
    expect(picks).toEqual(['0.3333333333', '0.5000000000']);
    expect(text.indexOf('-> 10.180.0.1:80"')).toBeLessThan(text.indexOf('-> 10.180.0.2:80"'));
  });

  it('skews the first endpoint to 0.8 under skewed-balance', () => {
    const text = renderRules(
      input({ endpoints: { p80: [ep('10.180.0.1'), ep('10.180.0.2'), ep('10.180.0.3')] } }, [
        'skewed-balance',
      ]),
    );
    expect([...text.matchAll(/--probability (\S+)/g)].map((m) => m[1])).toEqual([
      '0.8000000000',
      '0.5000000000',
    ]);
  });

  it('round-robins with nth counters under kube-proxy-ipvs', () => {
    const text = renderRules(
      input({ endpoints: { p80: [ep('10.180.0.1'), ep('10.180.0.2'), ep('10.180.0.3')] } }, [
        'kube-proxy-ipvs',
      ]),
    );
    expect([...text.matchAll(/--mode nth --every (\d) --packet 0/g)].map((m) => m[1])).toEqual(['3', '2']);
  });

  it('writes recent rules for ClientIP affinity, none under affinity-ignored', () => {
    const svc = { sessionAffinity: { timeoutSeconds: 10800 } };
    const text = renderRules(input(svc));
    expect(text).toContain(
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m recent --name KUBE-SEP-SXIVWICOYRO3J4NJ --rcheck --seconds 10800 --reap -j KUBE-SEP-SXIVWICOYRO3J4NJ',
    );
    expect(text).toContain(
      '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m recent --name KUBE-SEP-SXIVWICOYRO3J4NJ --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80',
    );
    expect(renderRules(input(svc, ['affinity-ignored']))).not.toContain('-m recent');
  });

  it('leaves out endpoints that are not ready, and rejects when none is', () => {
    const notReady = { ip: '10.180.0.2', port: 80, nodeName: 'node1', ready: false };
    const text = renderRules(input({ endpoints: { p80: [ep('10.180.0.1'), notReady] } }));
    expect(text).not.toContain('10.180.0.2');
    expect(text).not.toContain('--mode random');
    expect(renderRules(input({ endpoints: { p80: [notReady] } }))).toContain('-j REJECT');
  });

  it('rejects a service without endpoints in filter', () => {
    const text = renderRules(
      input({
        type: 'NodePort',
        ports: [{ name: 'p80', protocol: 'TCP', port: 80, nodePort: 3001 }],
        endpoints: {},
      }),
    );
    expect(text).toContain(
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j REJECT --reject-with icmp-port-unreachable',
    );
    expect(text).toContain(
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j REJECT --reject-with icmp-port-unreachable',
    );
    expect(text).not.toContain('KUBE-SVC-');
  });

  it('sends NodePort and LoadBalancer traffic through KUBE-EXT with masquerade', () => {
    const text = renderRules(
      input({
        type: 'LoadBalancer',
        ports: [{ name: 'p80', protocol: 'TCP', port: 80, nodePort: 3001 }],
        loadBalancerIPs: ['1.2.3.4'],
      }),
    );
    expect(text).toContain(
      '-A KUBE-NODEPORTS -m comment --comment ns1/svc1:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-XPGD46QRK7WJZT7O',
    );
    expect(text).toContain(
      '-A KUBE-EXT-XPGD46QRK7WJZT7O -m comment --comment "masquerade traffic for ns1/svc1:p80 external destinations" -j KUBE-MARK-MASQ',
    );
    expect(text).toContain('-A KUBE-EXT-XPGD46QRK7WJZT7O -j KUBE-SVC-XPGD46QRK7WJZT7O');
    expect(text).toContain(
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-XPGD46QRK7WJZT7O',
    );
  });

  it('drops NodePort traffic on a node without a local endpoint under nodeport-one-node', () => {
    const svc = {
      type: 'NodePort' as const,
      ports: [{ name: 'p80', protocol: 'TCP' as const, port: 80, nodePort: 3001 }],
    };
    const elsewhere = renderRules(
      input({ ...svc, endpoints: { p80: [ep('10.180.0.1', 'node2')] } }, ['nodeport-one-node']),
    );
    expect(elsewhere).toContain(
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP',
    );
    const here = renderRules(input({ ...svc }, ['nodeport-one-node']));
    expect(here).toContain('-j KUBE-SVL-');
    expect(here).not.toContain('has no local endpoints');
  });

  it('blackholes the lowest ready endpoint in filter', () => {
    const text = renderRules(
      input({ endpoints: { p80: [ep('10.180.0.9'), ep('10.180.0.10')] } }, ['blackhole-endpoint']),
    );
    expect(text).toContain('-A LABKIT-BLACKHOLE -d 10.180.0.9/32 -j DROP');
    expect(text).not.toContain('-d 10.180.0.10/32 -j DROP');
  });

  it('never blackholes the apiserver (default/kubernetes) or kube-system (the DNS pods)', () => {
    for (const [namespace, name] of [
      ['default', 'kubernetes'],
      ['kube-system', 'kube-dns'],
    ] as const) {
      const one = input({ endpoints: { p80: [ep('10.180.0.9')] } }, ['blackhole-endpoint']);
      const services = one.services.map((s) => ({ ...s, namespace, name }));
      expect(renderRules({ ...one, services })).not.toContain('-A LABKIT-BLACKHOLE -d');
    }
  });
});

describe('withStaleChainsDeleted', () => {
  it('flushes and deletes per-service chains the new text no longer has', () => {
    const text = renderRules(input());
    const existing = ':KUBE-SVC-AAAAAAAAAAAAAAAA - [0:0]\n:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]\n';
    const out = withStaleChainsDeleted(text, existing);
    expect(out).toContain(':KUBE-SVC-AAAAAAAAAAAAAAAA - [0:0]\n');
    expect(out).toMatch(/-X KUBE-SVC-AAAAAAAAAAAAAAAA\nCOMMIT\n$/);
    expect(out).not.toContain('-X KUBE-SVC-XPGD46QRK7WJZT7O');
  });
});
