// labs/service-types (issue 15): the spec loads with the real checks in both languages, every step has a hint,
// a solve and diagnostics, its command checks' patterns match what kubectl prints, and the `kubectl expose`
// step's expectation is exactly what the NodePort manifest makes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { serviceShapeParams } from '../../../src/checks/check-params.ts';
import { shapeDifferences } from '../../../src/checks/service-shape.ts';
import { serviceSchema } from '../../../src/checks/kube-schemas.ts';
import { defaultCheckRegistry } from '../../../src/lab/registry.ts';
import { loadLabSpec } from '../../../src/lab/spec/load.ts';
import type { CheckSpec, LabSpec } from '../../../src/lab/spec/types.ts';

const root = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const LAB = root('labs/service-types/lab.yaml');
const manifest = (name: string) => parse(readFileSync(root(`manifests/service-types/${name}`), 'utf8'));
const kinds = (spec: LabSpec) =>
  spec.steps.map((s) => s.checks.map((c) => (c.kind === 'builtin' ? c.check.name : 'command')));

function commandMatcher(check: CheckSpec | undefined): RegExp {
  if (check?.kind !== 'command' || !check.expect.stdout?.matches)
    throw new Error('not a stdout matches check');
  return new RegExp(check.expect.stdout.matches);
}

describe('labs/service-types', () => {
  test('loads with the real built-in checks: the deployment, then the four service types and expose', async () => {
    const spec = await loadLabSpec(LAB, defaultCheckRegistry(), 'en');
    expect(spec.steps.map((s) => s.id)).toEqual([
      'deployment',
      'node-port',
      'node-port-fixed',
      'load-balancer',
      'external-name',
      'expose',
    ]);
    expect(kinds(spec)).toEqual([
      ['command'],
      ['command', 'command', 'node-port-open', 'service-spread'],
      ['command', 'node-port-open'],
      ['command', 'load-balancer-ip', 'service-spread'],
      ['command', 'external-name'],
      ['service-shape', 'node-port-open', 'service-spread'],
    ]);
    for (const step of spec.steps) {
      expect(step.hint, step.id).toBeTruthy();
      expect(step.solve.length, step.id).toBeGreaterThan(0);
      expect(step.diagnose.length, step.id).toBeGreaterThan(0);
    }
    expect(spec.cleanup.length).toBeGreaterThan(0);
  });

  test('in Korean every title, description and hint is Korean', async () => {
    const ko = await loadLabSpec(LAB, defaultCheckRegistry(), 'ko');
    const en = await loadLabSpec(LAB, defaultCheckRegistry(), 'en');
    expect(ko.title).toMatch(/[가-힣]/);
    for (const [i, step] of ko.steps.entries()) {
      for (const text of [
        step.title,
        step.description ?? '',
        step.hint ?? '',
        ...step.checks.map((c) => c.title),
      ])
        expect(text, `${step.id}: ${text}`).toMatch(/[가-힣]/);
      expect(step.stableTitle).toBe(en.steps[i]?.title);
    }
  });

  test('the command checks match what kubectl get service prints', async () => {
    const spec = await loadLabSpec(LAB, defaultCheckRegistry(), 'en');
    const step = (id: string) => spec.steps.find((s) => s.id === id);
    const np = commandMatcher(step('node-port')?.checks[1]);
    expect(
      'NAME                        TYPE       CLUSTER-IP      EXTERNAL-IP   PORT(S)          AGE\nhostname-service-nodeport   NodePort   172.17.40.12    <none>        8080:30571/TCP   5s\n',
    ).toMatch(np);
    expect('hostname-service-nodeport   ClusterIP   172.17.40.12   <none>   8080/TCP   5s').not.toMatch(np);
    const lb = commandMatcher(step('load-balancer')?.checks[0]);
    expect('hostname-service-lb   LoadBalancer   172.17.3.4   192.168.56.240   8080:31911/TCP   9s').toMatch(
      lb,
    );
    expect('hostname-service-lb   LoadBalancer   172.17.3.4   <pending>   8080:31911/TCP   9s').toMatch(lb);
    const en = commandMatcher(step('external-name')?.checks[0]);
    expect('hostname-service-externalname   ExternalName   <none>   www.example.com   <none>   3s').toMatch(
      en,
    );
  });

  test('the manifests are what the steps check; the expose step expects what the NodePort manifest makes', async () => {
    expect(manifest('hostname-service-nodeport.yaml').spec).toEqual({
      type: 'NodePort',
      selector: { app: 'webserver' },
      ports: [{ name: 'web-port', port: 8080, targetPort: 80 }],
    });
    expect(manifest('hostname-service-nodeport-31000.yaml').spec.ports[0].nodePort).toBe(31000);
    expect(manifest('hostname-service-lb.yaml').spec.type).toBe('LoadBalancer');
    expect(manifest('hostname-service-externalname.yaml').spec).toEqual({
      type: 'ExternalName',
      externalName: 'www.example.com',
    });
    const spec = await loadLabSpec(LAB, defaultCheckRegistry(), 'en');
    const shape = spec.steps.find((s) => s.id === 'expose')?.checks[0];
    if (shape?.kind !== 'builtin') throw new Error('expose step: no service-shape check');
    const asApplied = serviceSchema.parse(manifest('hostname-service-nodeport.yaml'));
    expect(shapeDifferences(asApplied, serviceShapeParams.parse(shape.rawParams))).toEqual([]);
    const solve = spec.steps.find((s) => s.id === 'expose')?.solve.at(-1)?.body;
    expect(solve).toEqual({
      argv: [
        'kubectl',
        'expose',
        'deployment',
        'hostname-deployment',
        '--name=hostname-service-expose',
        '--type=NodePort',
        '--port=8080',
        '--target-port=80',
      ],
    });
  });
});
