// kubectl apply -f: validation (client: apiVersion/kind set; server: strict fields, required values),
// then create or update with `created` / `configured` / `unchanged`, one line per object.
import { ApiError, applyObject, LAST_APPLIED } from '../model/api.ts';
import { boolFlag, flag, KubectlError, rejectFlags } from './args.ts';
import { namespaceOf, withCluster, type KubectlContext } from './context.ts';
import { KIND_FIELDS } from '../apiserver/validation/manifest-fields.ts';
import { readManifests, type ManifestDoc } from './manifests.ts';
import { findResourceType } from './resources.ts';
import { invalidMessage, strictDecodeError } from '../apiserver/validation/validate.ts';

const KNOWN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, sorted(v)]),
    );
  return value;
}

/** What kubectl apply stores in the last-applied annotation: the manifest as sent, without that annotation. */
function lastAppliedOf(doc: Record<string, unknown>, namespace: string): string {
  const copy = structuredClone(doc);
  const metadata: Record<string, unknown> = {
    ...((copy['metadata'] as Record<string, unknown>) ?? {}),
    namespace,
  };
  const ann = { ...((metadata['annotations'] as Record<string, string> | undefined) ?? {}) };
  const kept = Object.fromEntries(Object.entries(ann).filter(([k]) => k !== LAST_APPLIED));
  if (Object.keys(kept).length) metadata['annotations'] = kept;
  else delete metadata['annotations'];
  copy['metadata'] = metadata;
  return `${JSON.stringify(sorted(copy))}\n`;
}

/** Client-side checks kubectl makes before sending: returns an error line or undefined. */
export function clientCheck(m: ManifestDoc, namespaceFlag: string | undefined): string | undefined {
  const { doc, source } = m;
  if (!doc['apiVersion'])
    return `error: error validating "${source}": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false`;
  if (!doc['kind'])
    return `error: error validating "${source}": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false`;
  const kind = String(doc['kind']);
  const known = KIND_FIELDS[kind];
  const name = String((doc['metadata'] as Record<string, unknown> | undefined)?.['name'] ?? '');
  if (!known || known.apiVersion !== doc['apiVersion']) {
    const [group, version] = String(doc['apiVersion']).includes('/')
      ? String(doc['apiVersion']).split('/')
      : ['', String(doc['apiVersion'])];
    return `error: resource mapping not found for name: "${name}" namespace: "${namespaceFlag ?? ''}" from "${source}": no matches for kind "${kind}" in version "${group ? `${group}/` : ''}${version}"\nensure CRDs are installed first`;
  }
  return undefined;
}

export async function applyCommand(ctx: KubectlContext): Promise<number> {
  const { args } = ctx;
  rejectFlags(args, 'apply', [
    'filename',
    'recursive',
    'validate',
    'dry-run',
    'field-manager',
    'server-side',
    'output',
  ]);
  if (flag(args, 'dry-run') && flag(args, 'dry-run') !== 'none')
    throw new KubectlError('error: the simulated kubectl does not support --dry-run');
  if (boolFlag(args, 'server-side'))
    throw new KubectlError('error: the simulated kubectl does not support --server-side');
  if (args.positionals.length > 0)
    throw new KubectlError(
      `error: Unexpected args: [${args.positionals.join(' ')}]\nSee 'kubectl apply -h' for help and examples`,
    );
  const docs = await readManifests(args.flags.get('filename') ?? [], ctx);
  const nsFlag = flag(args, 'namespace');
  const errors: string[] = [];
  const lines = await withCluster(ctx, (state, now) => {
    const out: string[] = [];
    for (const m of docs) {
      const clientError = clientCheck(m, nsFlag);
      if (clientError) {
        errors.push(clientError);
        continue;
      }
      const kind = String(m.doc['kind']);
      const type = findResourceType(kind);
      const metadata = (m.doc['metadata'] as Record<string, unknown> | undefined) ?? {};
      const name = typeof metadata['name'] === 'string' ? metadata['name'] : '';
      const docNs = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : undefined;
      if (docNs && nsFlag && docNs !== nsFlag) {
        errors.push(
          `error: the namespace from the provided object "${docNs}" does not match the namespace "${nsFlag}". You must pass '--namespace=${docNs}' to perform this operation.`,
        );
        continue;
      }
      const ns = docNs ?? namespaceOf(args);
      if (!name) {
        errors.push(
          `error: error when retrieving current configuration of:\nResource: "${type.qualified.includes('.') ? type.qualified.split('.').slice(1).join('.') + '/v1' : 'v1'}, Resource=${type.plural}", GroupVersionKind: "${String(m.doc['apiVersion'])}, Kind=${kind}"\nName: "", Namespace: "${ns}"\nfrom server for: "${m.source}": resource name may not be empty`,
        );
        continue;
      }
      if (!KNOWN_NAMESPACES.has(ns)) {
        errors.push(
          `Error from server (NotFound): error when creating "${m.source}": namespaces "${ns}" not found`,
        );
        continue;
      }
      const decodeError = strictDecodeError(kind, m.doc);
      if (decodeError) {
        errors.push(`Error from server (BadRequest): error when creating "${m.source}": ${decodeError}`);
        continue;
      }
      const invalid = invalidMessage(kind, m.doc);
      if (invalid) {
        errors.push(`Error from server (Invalid): error when creating "${m.source}": ${invalid}`);
        continue;
      }
      try {
        const result = applyObject(state, kind, m.doc, ns, now, lastAppliedOf(m.doc, ns));
        out.push(`${type.qualified}/${name} ${result}\n`);
      } catch (error) {
        if (error instanceof ApiError)
          errors.push(
            `Error from server (${error.reason}): error when applying patch to "${m.source}": ${error.message}`,
          );
        else throw error;
      }
    }
    return out;
  });
  ctx.out(lines.join(''));
  if (errors.length) {
    ctx.err(errors.map((e) => `${e}\n`).join(''));
    return 1;
  }
  return 0;
}
