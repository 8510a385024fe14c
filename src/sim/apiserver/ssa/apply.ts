// PATCH with application/apply-patch+yaml (k8s.io/apiserver handlers/patch.go applyPatcher): the body is
// the applier's configuration; the object is made when absent (201) or merged and stored (200), with the
// managedFields of managed-fields.ts.
import { parse } from 'yaml';
import { touch } from '../../model/meta.ts';
import type { ClusterState } from '../../model/state.ts';
import type { ApiObject } from '../../model/types.ts';
import { createObject, findObject, updateObject } from '../objects.ts';
import { groupVersion, type ApiResource } from '../resources.ts';
import { StatusError } from '../status.ts';
import { applyConfig, type Writer } from './managed-fields.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

function parseConfig(raw: string): Obj {
  let doc: unknown;
  try {
    doc = parse(raw);
  } catch (error) {
    throw new StatusError(
      'BadRequest',
      `error decoding YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new StatusError(
      'BadRequest',
      "couldn't get version/kind; json parse error: invalid apply configuration",
    );
  return doc as Obj;
}

export function serverSideApply(
  state: ClusterState,
  t: { readonly resource: ApiResource; readonly namespace: string | undefined },
  name: string,
  raw: string,
  writer: Writer,
  force: boolean,
  now: number,
  strict: boolean,
): { created: boolean; object: ApiObject } {
  const { resource, namespace } = t;
  const config = parseConfig(raw);
  const gv = groupVersion(resource);
  if (config['apiVersion'] !== gv || config['kind'] !== resource.kind)
    throw new StatusError(
      'BadRequest',
      `the API version in the data (${String(config['apiVersion'])}) does not match the expected API version (${gv})`,
    );
  const meta = obj(config['metadata']);
  if (meta['name'] !== name)
    throw new StatusError(
      'BadRequest',
      `the name of the object (${String(meta['name'])}) does not match the name on the URL (${name})`,
    );
  if (meta['managedFields'] !== undefined)
    throw new StatusError('BadRequest', 'metadata.managedFields must be nil');
  const live = findObject(state, resource, namespace, name);
  const result = applyConfig(resource.kind, live && structuredClone(live), config, writer, force, now);
  const store = (object: ApiObject): ApiObject => {
    object.metadata['managedFields'] = result.managedFields;
    return structuredClone(object);
  };
  if (!live)
    return {
      created: true,
      object: store(createObject(state, resource, namespace, result.object ?? config, now, strict)),
    };
  if (result.object)
    return {
      created: false,
      object: store(updateObject(state, resource, namespace, name, result.object, now, strict)),
    };
  if (JSON.stringify(live.metadata['managedFields']) !== JSON.stringify(result.managedFields)) {
    touch(state, live.metadata);
    return { created: false, object: store(live) };
  }
  return { created: false, object: structuredClone(live) };
}
