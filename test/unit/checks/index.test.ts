import { describe, expect, test } from 'vitest';
import { builtinChecks, findCheck } from '../../../src/checks/index.ts';

const HOSTILE = ['$(touch x)', '`id`', "a'b", 'a"b', 'a\nb', 'a;b', 'A b'];

describe('built-in check registry', () => {
  test('the six checks of the Service lab and the four of the service-types lab, by name', () => {
    expect(builtinChecks.map((c) => c.name)).toEqual([
      'pods-answer-by-ip',
      'service-spread',
      'service-reachable',
      'endpoint-replaced',
      'service-env',
      'session-affinity',
      'node-port-open',
      'load-balancer-ip',
      'external-name',
      'service-shape',
    ]);
    expect(findCheck('service-spread')?.name).toBe('service-spread');
    expect(findCheck('nope')).toBeUndefined();
  });

  test.each(builtinChecks.map((c) => [c.name, c] as const))(
    '%s: description, defaults, strict keys',
    (_n, check) => {
      expect(check.description.length).toBeGreaterThan(20);
      const parsed = check.params.safeParse({});
      expect(parsed.success).toBe(true);
      const typo = check.params.safeParse({ namespce: 'default' });
      expect(typo.success).toBe(false);
      expect(typo.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['namespce'] });
    },
  );

  test('defaults are the tutorial objects', () => {
    expect(findCheck('service-spread')?.params.parse({})).toEqual({
      clientImage: 'docker.io/busybox',
      service: 'hostname-service-clusterip',
      port: 8080,
      via: 'cluster-ip',
      requests: 60,
      mode: 'random',
    });
    expect(findCheck('pods-answer-by-ip')?.params.parse({})).toMatchObject({
      selector: 'app=webserver',
      port: 80,
    });
    expect(findCheck('endpoint-replaced')?.params.parse({})).toMatchObject({
      deployment: 'hostname-deployment',
      memoryKey: 'deletedPod',
    });
  });

  test.each(HOSTILE)('hostile %j is rejected as a service, selector, pod, namespace and image', (bad) => {
    const get = (name: string) => findCheck(name)?.params;
    expect(get('service-spread')?.safeParse({ service: bad }).success).toBe(false);
    expect(get('pods-answer-by-ip')?.safeParse({ selector: `app=${bad}` }).success).toBe(false);
    expect(get('endpoint-replaced')?.safeParse({ deletedPod: bad }).success).toBe(false);
    expect(get('service-env')?.safeParse({ namespace: bad }).success).toBe(false);
    expect(get('session-affinity')?.safeParse({ clientImage: bad }).success).toBe(false);
  });

  test('selectors: equality forms accepted, set-based rejected with a clear message', () => {
    const params = findCheck('pods-answer-by-ip')?.params;
    for (const ok of ['app=webserver', 'app==web,tier!=db', 'app.kubernetes.io/name=web'])
      expect(params?.safeParse({ selector: ok }).success).toBe(true);
    const bad = params?.safeParse({ selector: 'app in (a,b)' });
    expect(bad?.error?.issues[0]?.message).toBe(
      'an equality label selector like app=webserver or app=web,tier!=db',
    );
  });

  test('numeric bounds: affinity needs >= 2 clients, spread >= 10 requests', () => {
    expect(findCheck('session-affinity')?.params.safeParse({ clients: 1 }).success).toBe(false);
    expect(findCheck('service-spread')?.params.safeParse({ requests: 5 }).success).toBe(false);
  });
});
