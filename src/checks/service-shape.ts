// Seed: a Service made by `kubectl expose` (kubectl expose 명령을 사용해서 생성) is equal in effect to the
// manifest's: same type, same selector, same ports (port, targetPort, protocol, nodePort when fixed). Names,
// labels and annotations have no effect on traffic and are not compared. Every difference is listed at once,
// so a student sees all flags to fix in one run.
import { t } from '../i18n/index.ts';
import { serviceShapeParams, type ServiceShapeParams } from './check-params.ts';
import { defineCheck, fail } from './define-check.ts';
import type { KubeService } from './kube-schemas.ts';
import { readService } from './service-target.ts';

const show = (selector: Readonly<Record<string, string>>): string =>
  Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(',') || '(none)';

/** What differs between the Service and the wanted shape, one line each ([] when equal in effect). */
export function shapeDifferences(service: KubeService, want: ServiceShapeParams): string[] {
  const say = t().serviceTypes;
  const out: string[] = [];
  const type = service.spec.type ?? 'ClusterIP';
  if (type !== want.type) out.push(say.diffType(type, want.type));
  const selector = show(service.spec.selector ?? {});
  if (selector !== show(want.selector)) out.push(say.diffSelector(selector, show(want.selector)));
  const ports = service.spec.ports ?? [];
  for (const w of want.ports) {
    const got = ports.find((p) => p.port === w.port && (p.protocol ?? 'TCP') === w.protocol);
    if (!got) {
      out.push(say.diffMissingPort(`${w.port}/${w.protocol}`));
      continue;
    }
    const wantTarget = String(w.targetPort ?? w.port);
    const gotTarget = String(got.targetPort ?? got.port);
    if (gotTarget !== wantTarget) out.push(say.diffTargetPort(w.port, gotTarget, wantTarget));
    if (w.nodePort !== undefined && got.nodePort !== w.nodePort)
      out.push(
        say.diffNodePort(w.port, got.nodePort === undefined ? say.none : String(got.nodePort), w.nodePort),
      );
  }
  for (const got of ports)
    if (!want.ports.some((w) => w.port === got.port && w.protocol === (got.protocol ?? 'TCP')))
      out.push(say.diffExtraPort(`${got.port}/${got.protocol ?? 'TCP'}`));
  return out;
}

export function describeShape(s: {
  type: string;
  selector: Readonly<Record<string, string>>;
  ports: readonly { port: number; targetPort?: number | string | undefined; protocol?: string | undefined }[];
}): string {
  const ports = s.ports.map((p) => `${p.port}→${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}`).join(', ');
  return `${s.type}, selector ${show(s.selector)}, ports ${ports}`;
}

export const serviceShape = defineCheck({
  name: 'service-shape',
  description: () => t().serviceTypes.describe.serviceShape,
  params: serviceShapeParams,
  async run(ctx, p) {
    const namespace = p.namespace ?? ctx.namespace;
    const service = await readService(ctx, p.service, namespace);
    const expected = describeShape(p);
    const actual = describeShape({
      type: service.spec.type ?? 'ClusterIP',
      selector: service.spec.selector ?? {},
      ports: service.spec.ports ?? [],
    });
    const diffs = shapeDifferences(service, p);
    const say = t().serviceTypes;
    if (diffs.length)
      fail({
        message: say.shapeDiffers(p.service, diffs.join('; ')),
        expected,
        actual,
        observed: { differences: diffs },
        progress: 'settled',
      });
    return { ok: true, message: say.shapeEqual(p.service, expected), expected, actual };
  },
});
