import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { planLab } from '../../../src/lab/dry-run.ts';
import { InMemoryLabMemory } from '../../../src/lab/memory.ts';
import { defaultCheckRegistry } from '../../../src/lab/registry.ts';
import { labJsonSchema } from '../../../src/lab/spec/json-schema.ts';
import { loadLabSpec } from '../../../src/lab/spec/load.ts';

const root = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const LAB = root('labs/service/lab.yaml');

describe('labs/service', () => {
  test('loads with the real built-in checks: the six seed stages in order', async () => {
    const spec = await loadLabSpec(LAB, defaultCheckRegistry());
    expect(spec.steps.map((s) => s.id)).toEqual([
      'deployment',
      'pods-by-ip',
      'cluster-ip-service',
      'pod-replaced',
      'service-env',
      'session-affinity',
    ]);
    expect(
      spec.steps.map((s) => s.checks.map((c) => (c.kind === 'builtin' ? c.check.name : 'command'))),
    ).toEqual([
      ['command', 'command'],
      ['pods-answer-by-ip'],
      ['command', 'service-reachable', 'service-spread'],
      ['endpoint-replaced'],
      ['service-env'],
      ['command', 'session-affinity'],
    ]);
    for (const step of spec.steps) expect(step.hint, step.id).toBeTruthy();
    expect(spec.cleanup.length).toBeGreaterThan(0);
  });

  test('every step that changes the cluster has a solve; step 4 finds the deleted pod from step 3 memory', async () => {
    const spec = await loadLabSpec(LAB, defaultCheckRegistry());
    const solves = Object.fromEntries(spec.steps.map((s) => [s.id, s.solve.length]));
    expect(solves).toMatchObject({
      deployment: 2,
      'cluster-ip-service': 1,
      'pod-replaced': 1,
      'session-affinity': 1,
    });
    const plan = planLab(spec, spec.steps, 'solve', new InMemoryLabMemory()).join('\n');
    expect(plan).toContain('for pod in ${memory.podsBefore}');
    expect(plan).toContain('stdin from ../../manifests/service/hostname-deployment.yaml');
    // Registry credentials are never in the plan: only their names.
    expect(plan).toContain(
      'env from local: LAB_REGISTRY_SERVER, LAB_REGISTRY_USERNAME, LAB_REGISTRY_PASSWORD',
    );
  });

  test('lab.yaml points editors at the schema, and labs/schema.json is up to date (npm run schema)', () => {
    expect(readFileSync(LAB, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schema.json');
    expect(JSON.parse(readFileSync(root('labs/schema.json'), 'utf8'))).toEqual(
      labJsonSchema(defaultCheckRegistry()),
    );
  });

  test('the schema spells out each built-in check’s with: parameters for editors', () => {
    const schema = labJsonSchema(defaultCheckRegistry()) as {
      properties: {
        steps: {
          items: {
            properties: {
              checks: {
                items: {
                  allOf: {
                    if: unknown;
                    then: {
                      properties: {
                        with: { properties: Record<string, unknown>; additionalProperties?: unknown };
                      };
                    };
                  }[];
                };
              };
            };
          };
        };
      };
    };
    const rules = schema.properties.steps.items.properties.checks.items.allOf;
    expect(rules.map((r) => r.if)).toContainEqual({
      properties: { check: { const: 'service-spread' } },
      required: ['check'],
    });
    const spread = rules.find((r) => JSON.stringify(r.if).includes('service-spread'))?.then.properties.with;
    expect(Object.keys(spread?.properties ?? {})).toEqual(
      expect.arrayContaining(['service', 'port', 'requests', 'mode']),
    );
    expect(spread?.additionalProperties).toBe(false);
  });

  test('the manifests are the seed tutorial’s', () => {
    const deployment = parse(readFileSync(root('manifests/service/hostname-deployment.yaml'), 'utf8'));
    expect(deployment).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'hostname-deployment' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'webserver' } },
        template: {
          metadata: { labels: { app: 'webserver' }, name: 'my-webserver' },
          spec: {
            containers: [
              {
                name: 'my-webserver',
                image: 'docker.io/alicek106/rr-test:echo-hostname',
                ports: [{ containerPort: 80 }],
              },
            ],
            imagePullSecrets: [{ name: 'regcred' }],
          },
        },
      },
    });
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'hostname-service-clusterip' },
      spec: {
        type: 'ClusterIP',
        selector: { app: 'webserver' },
        ports: [{ name: 'web-port', port: 8080, targetPort: 80 }],
      },
    };
    expect(parse(readFileSync(root('manifests/service/hostname-service-clusterip.yaml'), 'utf8'))).toEqual(
      service,
    );
    expect(
      parse(readFileSync(root('manifests/service/hostname-service-clusterip-affinity.yaml'), 'utf8')),
    ).toEqual({
      ...service,
      spec: { ...service.spec, sessionAffinity: 'ClientIP' },
    });
  });
});
