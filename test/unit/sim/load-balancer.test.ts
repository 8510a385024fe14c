// The simulated cluster's MetalLB-like allocator: LoadBalancer Services get an address from the pool, keep it,
// give it back when they stop being LoadBalancers; `lb-pending` leaves them <pending>.
import { describe, expect, test } from 'vitest';
import { applyObject, deleteObject } from '../../../src/sim/model/api.ts';
import { reconcile } from '../../../src/sim/model/controller.ts';
import {
  DEFAULT_LB_POOL,
  ingressIp,
  poolAddresses,
  testbedLoadBalancerPool,
} from '../../../src/sim/model/load-balancer.ts';
import { ClusterStateSchema, FAULTS, type ClusterState } from '../../../src/sim/model/state.ts';
import { seedCluster } from './helpers.ts';

const NOW = 1_700_000_000_000;

function service(name: string, type: string) {
  return {
    metadata: { name },
    spec: { type, selector: { app: 'webserver' }, ports: [{ port: 8080, targetPort: 80 }] },
  };
}

function lbOf(state: ClusterState, name: string): string | undefined {
  const svc = state.services.find((s) => s.metadata.name === name);
  if (!svc) throw new Error(`no service ${name}`);
  return ingressIp(svc);
}

describe('MetalLB-like allocator', () => {
  test('testbed cluster i gets 192.168.57.(10i+5)-(10i+9); cluster 1 is the default', () => {
    expect(testbedLoadBalancerPool(1)).toBe(DEFAULT_LB_POOL);
    expect(testbedLoadBalancerPool(3)).toBe('192.168.57.35-192.168.57.39');
    expect(poolAddresses(testbedLoadBalancerPool(2))).toEqual([
      '192.168.57.25',
      '192.168.57.26',
      '192.168.57.27',
      '192.168.57.28',
      '192.168.57.29',
    ]);
    expect(() => poolAddresses('192.168.57.9-192.168.57.5')).toThrow(/first-last/);
  });

  test('a LoadBalancer gets the lowest free pool address and keeps it; other types get none', () => {
    const state = seedCluster(NOW);
    state.config.loadBalancerPool = '192.168.57.25-192.168.57.26';
    applyObject(state, 'Service', service('a', 'LoadBalancer'), 'default', NOW, undefined);
    applyObject(state, 'Service', service('np', 'NodePort'), 'default', NOW, undefined);
    reconcile(state, NOW);
    expect(lbOf(state, 'a')).toBe('192.168.57.25');
    expect(lbOf(state, 'np')).toBeUndefined();
    applyObject(state, 'Service', service('b', 'LoadBalancer'), 'default', NOW, undefined);
    reconcile(state, NOW + 1);
    reconcile(state, NOW + 2);
    expect(lbOf(state, 'a')).toBe('192.168.57.25');
    expect(lbOf(state, 'b')).toBe('192.168.57.26');
    // Pool used up: the third stays <pending> until an address is given back.
    applyObject(state, 'Service', service('c', 'LoadBalancer'), 'default', NOW, undefined);
    reconcile(state, NOW + 3);
    expect(lbOf(state, 'c')).toBeUndefined();
    deleteObject(state, 'Service', 'default', 'a', NOW + 4);
    reconcile(state, NOW + 4);
    expect(lbOf(state, 'c')).toBe('192.168.57.25');
    expect(() => ClusterStateSchema.parse(state)).not.toThrow();
  });

  test('a Service changed to another type gives its address back', () => {
    const state = seedCluster(NOW);
    applyObject(state, 'Service', service('a', 'LoadBalancer'), 'default', NOW, undefined);
    reconcile(state, NOW);
    expect(lbOf(state, 'a')).toBe('192.168.57.15');
    applyObject(state, 'Service', service('a', 'ClusterIP'), 'default', NOW + 1, undefined);
    reconcile(state, NOW + 1);
    expect(lbOf(state, 'a')).toBeUndefined();
  });

  test('lb-pending: no address is ever allocated, and one already given is withdrawn', () => {
    const state = seedCluster(NOW);
    applyObject(state, 'Service', service('a', 'LoadBalancer'), 'default', NOW, undefined);
    reconcile(state, NOW);
    expect(lbOf(state, 'a')).toBe('192.168.57.15');
    state.config.faults = ['lb-pending'];
    applyObject(state, 'Service', service('b', 'LoadBalancer'), 'default', NOW + 1, undefined);
    reconcile(state, NOW + 1);
    expect(lbOf(state, 'a')).toBeUndefined();
    expect(lbOf(state, 'b')).toBeUndefined();
  });

  test('the faults of issue 15 are registered', () => {
    expect(FAULTS).toContain('nodeport-one-node');
    expect(FAULTS).toContain('lb-pending');
  });
});
