import { describe, expect, test } from 'vitest';
import { applyPatch, mergePatch, strategicMerge } from '../../../../src/sim/apiserver/patch.ts';
import { StatusError } from '../../../../src/sim/apiserver/status.ts';

const deployment = {
  metadata: { name: 'd', labels: { app: 'a', tier: 'web' } },
  spec: {
    replicas: 3,
    template: {
      spec: {
        containers: [
          { name: 'one', image: 'i:1', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] },
          { name: 'two', image: 'j:1' },
        ],
      },
    },
  },
};

describe('strategic merge patch', () => {
  test('containers merge on name, env on name; null deletes a key', () => {
    const out = strategicMerge(deployment, {
      metadata: { labels: { tier: null } },
      spec: {
        template: { spec: { containers: [{ name: 'two', image: 'j:2', env: [{ name: 'B', value: '2' }] }] } },
      },
    });
    expect(out).toEqual({
      metadata: { name: 'd', labels: { app: 'a' } },
      spec: {
        replicas: 3,
        template: {
          spec: {
            containers: [
              deployment.spec.template.spec.containers[0],
              { name: 'two', image: 'j:2', env: [{ name: 'B', value: '2' }] },
            ],
          },
        },
      },
    });
  });

  test('$patch: delete removes a list item; $setElementOrder orders the result', () => {
    const out = strategicMerge(deployment, {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'two' }, { name: 'one' }],
            containers: [{ name: 'one', $patch: 'delete' }],
          },
        },
      },
    }) as typeof deployment;
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(['two']);
    const ordered = strategicMerge(deployment, {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'two' }, { name: 'one' }] } } },
    }) as typeof deployment;
    expect(ordered.spec.template.spec.containers.map((c) => c.name)).toEqual(['one', 'two']);
  });

  test('service ports merge on port, lists without a merge key are replaced', () => {
    const svc = { spec: { ports: [{ port: 80, targetPort: 8080 }], externalIPs: ['1.1.1.1'] } };
    expect(
      strategicMerge(svc, { spec: { ports: [{ port: 80, name: 'web' }], externalIPs: ['2.2.2.2'] } }),
    ).toEqual({
      spec: { ports: [{ port: 80, targetPort: 8080, name: 'web' }], externalIPs: ['2.2.2.2'] },
    });
  });
});

describe('merge and JSON patch', () => {
  test('RFC 7386: lists are replaced, null deletes', () => {
    expect(mergePatch({ a: [1, 2], b: { c: 1, d: 2 } }, { a: [3], b: { c: null } })).toEqual({
      a: [3],
      b: { d: 2 },
    });
  });
  test("RFC 6902 through fast-json-patch; a failing op is the server's error", () => {
    expect(applyPatch('json', { a: { b: 1 } }, [{ op: 'replace', path: '/a/b', value: 2 }])).toEqual({
      a: { b: 2 },
    });
    expect(() => applyPatch('json', { a: {} }, [{ op: 'remove', path: '/x/y' }])).toThrow(StatusError);
  });
});
