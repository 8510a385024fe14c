// The OpenAPI v3 that kubectl 1.33 reads: /openapi/v3 lists one document per group version, and each
// document's PATCH operations carry x-kubernetes-group-version-kind and the `fieldValidation` query
// parameter, which is how kubectl learns that the server validates fields itself (it then sends
// fieldValidation=Strict instead of validating client-side). Schemas are left out: kubectl apply falls
// back to the strategic-merge metadata compiled into it for built-in kinds (no requestBody media types
// are declared, so it does not look for schemas here); `kubectl explain` is not served.
import { createHash } from 'node:crypto';
import { RESOURCES, groupVersion } from './resources.ts';

const gvPath = (group: string, version: string): string =>
  group ? `apis/${group}/${version}` : `api/${version}`;

export function openApiDocument(
  group: string,
  version: string,
  kubernetesVersion: string,
): object | undefined {
  const mine = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (mine.length === 0) return undefined;
  const paths: Record<string, object> = {};
  for (const r of mine) {
    const base = `/${gvPath(group, version)}/${r.namespaced ? 'namespaces/{namespace}/' : ''}${r.plural}/{name}`;
    paths[base] = {
      patch: {
        operationId: `patch${r.namespaced ? 'Namespaced' : ''}${r.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
        parameters: [
          { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
        ],
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: kubernetesVersion },
    paths,
    components: { schemas: {} },
  };
}

export function openApiIndex(kubernetesVersion: string): object {
  const seen = new Map<string, string>();
  for (const r of RESOURCES) {
    const key = gvPath(r.group, r.version);
    if (seen.has(key)) continue;
    const hash = createHash('sha512')
      .update(JSON.stringify(openApiDocument(r.group, r.version, kubernetesVersion)))
      .digest('hex')
      .slice(0, 128)
      .toUpperCase();
    seen.set(key, `/openapi/v3/${key}?hash=${hash}`);
  }
  return { paths: Object.fromEntries([...seen].map(([k, url]) => [k, { serverRelativeURL: url }])) };
}

export { groupVersion };
