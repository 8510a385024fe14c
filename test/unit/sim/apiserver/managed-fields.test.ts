// structured-merge-diff's field sets as the simulated apiserver computes them (src/sim/apiserver/ssa/):
// FieldsV1 of an applied configuration, the order and `.` members, Update entries, conflicts and pruning.
import { describe, expect, test } from 'vitest';
import { FieldSet, pathString } from '../../../../src/sim/apiserver/ssa/fieldpath.ts';
import { applyConfig, recordUpdate } from '../../../../src/sim/apiserver/ssa/managed-fields.ts';
import { schemaFor } from '../../../../src/sim/apiserver/ssa/schema.ts';
import { compare, toFieldSet } from '../../../../src/sim/apiserver/ssa/typed.ts';
import { StatusError } from '../../../../src/sim/apiserver/status.ts';

const NOW = Date.parse('2026-01-02T03:04:05.678Z');
const deployment = (replicas: number, labels: Record<string, string> = { app: 'web' }) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }],
      },
    },
  },
});
const writer = (manager: string, subresource?: string) => ({ manager, apiVersion: 'apps/v1', subresource });

describe('field sets', () => {
  test('a Service: ports keyed by port and the defaulted protocol, in numeric order; selector atomic', () => {
    const set = toFieldSet(
      {
        metadata: { labels: { a: 'b' } },
        spec: {
          selector: { app: 'web' },
          ports: [{ port: 443 }, { port: 80, protocol: 'UDP' }, { port: 80 }],
        },
      },
      schemaFor('Service'),
    );
    const json = set.toFieldsV1();
    expect(JSON.stringify(json)).toBe(
      JSON.stringify({
        'f:metadata': { 'f:labels': { 'f:a': {} } },
        'f:spec': {
          'f:ports': {
            'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} },
            'k:{"port":80,"protocol":"UDP"}': { '.': {}, 'f:port': {}, 'f:protocol': {} },
            'k:{"port":443,"protocol":"TCP"}': { '.': {}, 'f:port': {} },
          },
          'f:selector': {},
        },
      }),
    );
    expect(FieldSet.fromFieldsV1(json).equals(set)).toBe(true);
  });

  test('finalizers are a set (v:), args atomic, an empty map is a member of its own', () => {
    const set = toFieldSet(
      {
        metadata: { finalizers: ['b', 'a'] },
        spec: { containers: [{ name: 'c', args: ['x'], resources: {} }] },
      },
      schemaFor('Pod'),
    );
    expect(set.toFieldsV1()).toEqual({
      'f:metadata': { 'f:finalizers': { 'v:"a"': {}, 'v:"b"': {} } },
      'f:spec': {
        'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:args': {}, 'f:name': {}, 'f:resources': {} } },
      },
    });
  });

  test('conflict paths print as structured-merge-diff does', () => {
    expect(
      pathString([
        { f: 'spec' },
        { f: 'ports' },
        {
          k: [
            ['port', 80],
            ['protocol', 'TCP'],
          ],
        },
        { f: 'targetPort' },
      ]),
    ).toBe('.spec.ports[port=80,protocol="TCP"].targetPort');
    expect(pathString([{ f: 'metadata' }, { f: 'finalizers' }, { v: 'x' }])).toBe(
      '.metadata.finalizers[=x]'.replace('=x', '="x"'),
    );
  });

  test('compare: a node that appears is added itself, inside and outside lists', () => {
    const c = compare({ spec: { template: {} } }, deployment(1), schemaFor('Deployment'));
    expect(c.added.has([{ f: 'metadata' }, { f: 'labels' }])).toBe(true);
    expect(c.added.has([{ f: 'spec' }, { f: 'template' }])).toBe(false);
    expect(c.modified.empty()).toBe(true);
  });
});

describe('managedFields', () => {
  test('a create: an Update entry without the stripped metadata, `.` where Go has nil', () => {
    const [entry, ...rest] = recordUpdate(
      'Deployment',
      undefined,
      deployment(2),
      writer('kubectl-create'),
      NOW,
    );
    expect(rest).toEqual([]);
    expect(entry).toEqual({
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2026-01-02T03:04:05Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': {
            'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
            'f:spec': {
              'f:containers': {
                'k:{"name":"nginx"}': {
                  '.': {},
                  'f:image': {},
                  'f:name': {},
                  'f:ports': {
                    '.': {},
                    'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
                  },
                },
              },
            },
          },
        },
      },
    });
  });

  test('an update takes the fields it changes from the others without conflict', () => {
    const live = {
      ...deployment(2),
      metadata: {
        ...deployment(2).metadata,
        managedFields: recordUpdate('Deployment', undefined, deployment(2), writer('a'), NOW),
      },
    };
    const entries = recordUpdate(
      'Deployment',
      live,
      { ...live, spec: { ...live.spec, replicas: 3 } },
      writer('b', 'scale'),
      NOW,
    );
    expect(entries.map((e) => [e.manager, e.subresource, e.fieldsV1['f:spec']])).toEqual([
      ['a', undefined, expect.not.objectContaining({ 'f:replicas': {} })],
      ['b', 'scale', { 'f:replicas': {} }],
    ]);
  });

  test('apply: conflicts per manager, sorted, with causes; force takes the fields', () => {
    let live: Record<string, unknown> = deployment(1, { app: 'web', team: 'x' });
    (live['metadata'] as Record<string, unknown>)['managedFields'] = [
      ...recordUpdate('Deployment', undefined, live, writer('zeta'), NOW),
    ];
    const next = structuredClone(live) as ReturnType<typeof deployment>;
    next.spec.template.spec.containers = [
      { name: 'nginx', image: 'nginx:1.26', ports: [{ containerPort: 80 }] },
    ];
    const mf = recordUpdate('Deployment', live, next, writer('alpha'), NOW);
    live = { ...next, metadata: { ...next.metadata, managedFields: mf } };
    const config = deployment(2, { app: 'web', team: 'y' });
    let error: unknown;
    try {
      applyConfig('Deployment', live, config, writer('kubectl'), false, NOW);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StatusError);
    const status = (error as StatusError).toStatus() as {
      message: string;
      code: number;
      details: { causes: unknown[] };
    };
    expect(status.code).toBe(409);
    expect(status.message).toBe(
      [
        'Apply failed with 3 conflicts: conflicts with "alpha" using apps/v1:',
        '- .spec.template.spec.containers[name="nginx"].image',
        'conflicts with "zeta" using apps/v1:',
        '- .metadata.labels.team',
        '- .spec.replicas',
      ]
        .join('\n')
        .replace('4 conflicts', '3 conflicts'),
    );
    expect(status.details.causes).toContainEqual({
      reason: 'FieldManagerConflict',
      message: 'conflict with "zeta" using apps/v1',
      field: '.spec.replicas',
    });
    const forced = applyConfig('Deployment', live, config, writer('kubectl'), true, NOW);
    expect((forced.object?.['spec'] as { replicas: number }).replicas).toBe(2);
    expect(forced.managedFields.map((e) => `${e.manager}/${e.operation}`)).toEqual([
      'kubectl/Apply',
      'zeta/Update',
    ]);
  });

  test('apply prunes what the applier no longer applies, unless another manager owns it', () => {
    const first = applyConfig(
      'Deployment',
      undefined,
      deployment(1, { app: 'web', a: '1', b: '2' }),
      writer('kubectl'),
      false,
      NOW,
    );
    const live = {
      ...first.object,
      metadata: { ...(first.object?.['metadata'] as object), managedFields: first.managedFields },
    };
    // Another applier shares label b.
    const other = applyConfig(
      'Deployment',
      live,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { b: '2' } } },
      writer('other'),
      false,
      NOW,
    );
    // Same value: the object is unchanged, only the managers are.
    expect(other.object).toBeUndefined();
    const shared = { ...live, metadata: { ...live.metadata, managedFields: other.managedFields } };
    const pruned = applyConfig('Deployment', shared, deployment(1), writer('kubectl'), false, NOW);
    expect((pruned.object?.['metadata'] as { labels: object }).labels).toEqual({ app: 'web', b: '2' });
    expect(
      applyConfig(
        'Deployment',
        shared,
        deployment(1, { app: 'web', a: '1', b: '2' }),
        writer('kubectl'),
        false,
        NOW,
      ).object,
    ).toBeUndefined();
  });
});
