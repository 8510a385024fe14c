// The simulated kube-apiserver's HTTP API: routing of /api, /apis, /version, /openapi/v3 and the
// resource paths to discovery, reads (get, list, watch, Table), writes (create, update, patch, delete),
// pods/log and deployments/scale, with Status errors as kube-apiserver words them. TLS and the process
// around it are in main.ts; exec/attach upgrades go to the `upgrade` hook (streams/).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SimConfigSchema } from '../model/state.ts';
import { logOptionsFromQuery, streamLogFile } from './pod-logs.ts';
import type { ApiObject } from '../model/types.ts';
import {
  AGGREGATED_V2,
  aggregatedDiscovery,
  apiGroupList,
  apiResourceList,
  legacyApiVersions,
  versionInfo,
  wantsAggregated,
} from './discovery.ts';
import type { LiveCluster, WatchEvent } from './live-cluster.ts';
import { createObject, getObject, removeObject, updateObject, type Propagation } from './objects.ts';
import { ProtobufDecodeError, UnsupportedProtobufKindError } from './protobuf/index.ts';
import { openApiDocument, openApiIndex } from './openapi.ts';
import { APPLY_PATCH, applyPatch, PATCH_TYPES } from './patch.ts';
import { serverSideApply } from './ssa/apply.ts';
import { managerName, recordUpdate, type ManagedFieldsEntry, type Writer } from './ssa/managed-fields.ts';
import { toTable, wantsTable, type IncludeObject } from './printers/table.ts';
import { findResource, groupVersion, type ApiResource } from './resources.ts';
import { fieldFilter, labelFilter } from './selectors.ts';
import { StatusError, successStatus } from './status.ts';

type Obj = Record<string, unknown>;

/** See ApiServer.simConfig. */
export const SIM_CONFIG_PATH = '/labkit/sim-config';
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAX_BODY = 3 * 1024 * 1024;

export interface ApiServerOptions {
  readonly cluster: LiveCluster;
  /** `<address>:6443`, as /api reports it. */
  readonly serverAddress: string;
  /** Decodes a protobuf request body to the JSON object shape (protobuf/); absent: 415. */
  readonly decodeProtobuf?: (body: Buffer) => unknown;
  /** Whether the request came with a valid client certificate (main.ts: the TLS socket's `authorized`). */
  readonly authenticate?: (req: IncomingMessage) => boolean;
}

/** What kubeadm's RBAC lets system:anonymous read (system:public-info-viewer). */
const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

/** A parsed resource URL: /api/v1/namespaces/ns/pods/name/log → pods, ns, name, log. */
export interface ResourcePath {
  readonly resource: ApiResource;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const parts = pathname
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] ?? '';
    version = parts[2] ?? '';
    rest = parts.slice(3);
  } else return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const resource = findResource(group, version, rest[0] ?? '');
  if (!resource || rest.length > 3) return undefined;
  return {
    resource,
    namespace: resource.namespaced ? namespace : undefined,
    name: rest[1],
    subresource: rest[2],
  };
}

function send(res: ServerResponse, code: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': type, 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new StatusError('BadRequest', 'request entity too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Stores a write's managedFields on the object (no entry left: the field goes, as the encoder omits it). */
function setManagedFields(object: ApiObject, entries: ManagedFieldsEntry[]): void {
  if (entries.length) object.metadata['managedFields'] = entries;
  else Reflect.deleteProperty(object.metadata, 'managedFields');
}

/** ValidatePatchOptions: an apply needs a fieldManager; force is for an apply only. */
function validatePatchOptions(apply: boolean, q: URLSearchParams): void {
  const problem =
    apply && !q.get('fieldManager')
      ? {
          field: 'fieldManager',
          reason: 'FieldValueRequired',
          message: 'Required value: is required for apply patch',
        }
      : !apply && q.has('force')
        ? {
            field: 'force',
            reason: 'FieldValueForbidden',
            message: 'Forbidden: may not be specified for non-apply patch',
          }
        : undefined;
  if (problem)
    throw new StatusError(
      'Invalid',
      `PatchOptions.meta.k8s.io "" is invalid: ${problem.field}: ${problem.message}`,
      {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [problem],
      },
    );
}

export class ApiServer {
  /** Open `GET /labkit/sim-config?watch=true` streams (the DNS pods follow the dns-broken fault so). */
  private readonly configWatchers = new Set<ServerResponse>();

  constructor(private readonly options: ApiServerOptions) {}

  private get cluster(): LiveCluster {
    return this.options.cluster;
  }

  /** The request handler for node:https createServer. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.route(req, res).catch((error: unknown) => {
      const status =
        error instanceof StatusError
          ? error
          : new StatusError(
              'InternalError',
              `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`,
            );
      if (status.reason === 'InternalError')
        process.stderr.write(`apiserver: ${String(error instanceof Error ? error.stack : error)}\n`);
      if (res.headersSent) res.end();
      else send(res, status.code, status.toStatus());
    });
  };

  /** A client certificate signed by the cluster CA (kubernetes-admin, group system:masters) may do anything. */
  private authenticated(req: IncomingMessage): boolean {
    return this.options.authenticate ? this.options.authenticate(req) : true;
  }

  private async body(req: IncomingMessage): Promise<unknown> {
    const raw = await readBody(req);
    const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]?.trim() ?? '';
    if (type === PROTOBUF) {
      if (!this.options.decodeProtobuf)
        throw new StatusError(
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
        );
      try {
        return this.options.decodeProtobuf(raw);
      } catch (error) {
        if (error instanceof ProtobufDecodeError)
          throw new StatusError(
            error instanceof UnsupportedProtobufKindError ? 'UnsupportedMediaType' : 'BadRequest',
            error.message,
          );
        throw error;
      }
    }
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch (error) {
      throw new StatusError(
        'BadRequest',
        `error decoding request body: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://apiserver');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    if (!this.authenticated(req) && !PUBLIC_PATHS.has(path))
      throw new StatusError(
        'Forbidden',
        `forbidden: User "system:anonymous" cannot ${method.toLowerCase()} path "${path}"`,
        {},
      );
    const accept = req.headers.accept;
    const kubeVersion = this.cluster.state.cluster.kubernetesVersion;
    if (method === 'GET') {
      if (path === '/version') return send(res, 200, versionInfo(kubeVersion));
      if (['/healthz', '/livez', '/readyz'].includes(path))
        return send(res, 200, 'ok', 'text/plain; charset=utf-8');
      if (path === '/api')
        return wantsAggregated(accept)
          ? send(res, 200, aggregatedDiscovery(true), AGGREGATED_V2)
          : send(res, 200, legacyApiVersions(this.options.serverAddress));
      if (path === '/apis')
        return wantsAggregated(accept)
          ? send(res, 200, aggregatedDiscovery(false), AGGREGATED_V2)
          : send(res, 200, apiGroupList());
      if (path === '/openapi/v3') return send(res, 200, openApiIndex(kubeVersion));
      const oapi = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
      if (oapi) {
        const doc = openApiDocument(oapi[2] ?? '', oapi[1] ?? oapi[3] ?? '', kubeVersion);
        if (doc) return send(res, 200, doc);
      }
      const gv = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
      if (gv) {
        const list = apiResourceList(gv[2] ?? '', gv[1] ?? gv[3] ?? '');
        if (list) return send(res, 200, list);
      }
    }
    if (path === SIM_CONFIG_PATH) return this.simConfig(method, url.searchParams, req, res);
    const target = parseResourcePath(path);
    if (!target) throw new StatusError('NotFound', 'the server could not find the requested resource');
    await this.resource(method, target, url.searchParams, req, res);
  }

  private async resource(
    method: string,
    t: ResourcePath,
    q: URLSearchParams,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const { resource, namespace, name, subresource } = t;
    if (resource.namespaced && namespace === undefined && method !== 'GET')
      throw new StatusError('NotFound', 'the server could not find the requested resource');
    const strict = (q.get('fieldValidation') ?? 'Strict') === 'Strict';
    if (name === undefined) {
      if (method === 'GET')
        return q.get('watch') === 'true' || q.get('watch') === '1'
          ? this.watch(t, q, req, res)
          : this.list(t, q, req, res);
      if (method === 'POST') {
        const body = obj(await this.body(req));
        const writer = this.writer(t, q, req);
        const created = this.cluster.mutate((state, now) => {
          const object = createObject(state, resource, namespace, body, now, strict);
          setManagedFields(object, recordUpdate(resource.kind, undefined, body, writer, now));
          return structuredClone(object);
        });
        return send(res, 201, created);
      }
      throw new StatusError(
        'MethodNotAllowed',
        `the server does not allow this method on the requested resource`,
      );
    }
    if (subresource === 'log' && resource.kind === 'Pod' && method === 'GET')
      return this.logs(namespace ?? 'default', name, q, res);
    if (subresource === 'scale' && (resource.kind === 'Deployment' || resource.kind === 'ReplicaSet'))
      return this.scale(method, t, name, q, req, res);
    if (subresource !== undefined && subresource !== 'status')
      throw new StatusError('NotFound', 'the server could not find the requested resource');
    switch (method) {
      case 'GET': {
        const object = getObject(this.cluster.state, resource, namespace, name);
        return send(res, 200, wantsTable(req.headers.accept) ? this.table(resource, [object], q) : object);
      }
      case 'PUT': {
        const body = obj(await this.body(req));
        const updated = this.cluster.mutate((state, now) => {
          const current = getObject(state, resource, namespace, name);
          const rv = obj(body['metadata'])['resourceVersion'];
          if (rv !== undefined && rv !== current.metadata.resourceVersion)
            throw new StatusError(
              'Conflict',
              `Operation cannot be fulfilled on ${resource.group ? `${resource.plural}.${resource.group}` : resource.plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
            );
          const before = structuredClone(current);
          const object = updateObject(state, resource, namespace, name, body, now, strict);
          setManagedFields(object, recordUpdate(resource.kind, before, body, this.writer(t, q, req), now));
          return structuredClone(object);
        });
        return send(res, 200, updated);
      }
      case 'PATCH': {
        const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
        const type = PATCH_TYPES[contentType];
        if (!type && contentType !== APPLY_PATCH)
          throw new StatusError(
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
          );
        validatePatchOptions(contentType === APPLY_PATCH, q);
        if (!type) {
          const raw = (await readBody(req)).toString('utf8');
          const writer = this.writer(t, q, req);
          const force = q.get('force') === 'true';
          // dryRun=All: the apply runs on a copy of the state, nothing is stored.
          const out = q.getAll('dryRun').includes('All')
            ? serverSideApply(
                structuredClone(this.cluster.state),
                t,
                name,
                raw,
                writer,
                force,
                this.cluster.now(),
                strict,
              )
            : this.cluster.mutate((state, now) =>
                serverSideApply(state, t, name, raw, writer, force, now, strict),
              );
          return send(res, out.created ? 201 : 200, out.object);
        }
        const patch = await this.body(req);
        const patched = this.cluster.mutate((state, now) => {
          const current = structuredClone(getObject(state, resource, namespace, name));
          const next = obj(applyPatch(type, current, patch));
          const object = updateObject(state, resource, namespace, name, next, now, strict);
          setManagedFields(object, recordUpdate(resource.kind, current, next, this.writer(t, q, req), now));
          return structuredClone(object);
        });
        return send(res, 200, patched);
      }
      case 'DELETE': {
        const raw = await readBody(req);
        const options = raw.length ? obj(JSON.parse(raw.toString('utf8'))) : {};
        const graceText = q.get('gracePeriodSeconds');
        const grace =
          typeof options['gracePeriodSeconds'] === 'number'
            ? options['gracePeriodSeconds']
            : graceText !== null
              ? Number(graceText)
              : undefined;
        const propagation = (options['propagationPolicy'] ??
          q.get('propagationPolicy') ??
          'Background') as Propagation;
        const result = this.cluster.mutate((state, now) =>
          removeObject(state, resource, namespace, name, now, {
            ...(grace !== undefined ? { graceSeconds: grace } : {}),
            propagation,
          }),
        );
        return send(
          res,
          200,
          result.gone && resource.kind !== 'Pod'
            ? successStatus(resource, name, result.object.metadata.uid)
            : result.object,
        );
      }
      default:
        throw new StatusError(
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
    }
  }

  /** Who a write's managedFields entry belongs to: the fieldManager parameter or the user agent's name. */
  private writer(t: ResourcePath, q: URLSearchParams, req: IncomingMessage): Writer {
    return {
      manager: managerName(q.get('fieldManager'), req.headers['user-agent']),
      apiVersion: groupVersion(t.resource),
    };
  }

  /** The simulator's own settings (faults, delays): read and switched on a running cluster by the
   *  testbed (kubernetes-admin only, like every non-public path). Not part of the Kubernetes API. */
  private async simConfig(
    method: string,
    query: URLSearchParams,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    if (method === 'PUT') {
      const parsed = SimConfigSchema.partial()
        .strict()
        .safeParse(await this.body(req));
      if (!parsed.success)
        throw new StatusError(
          'BadRequest',
          `sim config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      this.cluster.mutate((state) => {
        const update = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
        state.config = { ...state.config, ...update };
        if (update['faults']) state.config.faults = [...new Set(state.config.faults)];
      });
      const line = `${JSON.stringify(this.cluster.state.config)}\n`;
      for (const watcher of this.configWatchers) watcher.write(line);
    } else if (method !== 'GET')
      throw new StatusError(
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
    else if (query.get('watch') === 'true') return this.watchSimConfig(res);
    send(res, 200, this.cluster.state.config);
  }

  /** The config now, then again after every change, one JSON line each, until the client goes. */
  private watchSimConfig(res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.write(`${JSON.stringify(this.cluster.state.config)}\n`);
    this.configWatchers.add(res);
    res.on('close', () => this.configWatchers.delete(res));
  }

  private selected(t: ResourcePath, q: URLSearchParams): (o: ApiObject) => boolean {
    const labels = labelFilter(q.get('labelSelector'));
    const fields = fieldFilter(q.get('fieldSelector'));
    return (o) =>
      (t.namespace === undefined || (o.metadata.namespace ?? 'default') === t.namespace) &&
      labels(o) &&
      fields(o);
  }

  private table(
    resource: ApiResource,
    objects: readonly ApiObject[],
    q: URLSearchParams,
    withColumns = true,
  ): object {
    const include = (q.get('includeObject') ?? 'Metadata') as IncludeObject;
    return toTable(resource.kind, objects, this.cluster.now(), {
      include,
      resourceVersion: String(this.cluster.state.resourceVersion),
      withColumns,
    });
  }

  private list(t: ResourcePath, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
    const { resource } = t;
    // etcd returns keys in order: namespace, then name.
    const items = resource
      .list(this.cluster.state)
      .filter(this.selected(t, q))
      .sort((a, b) =>
        `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
          `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
        ),
      );
    if (wantsTable(req.headers.accept)) return send(res, 200, this.table(resource, items, q));
    send(res, 200, {
      kind: `${resource.kind}List`,
      apiVersion: groupVersion(resource),
      metadata: { resourceVersion: String(this.cluster.state.resourceVersion) },
      items,
    });
  }

  private watch(t: ResourcePath, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
    const { resource } = t;
    const table = wantsTable(req.headers.accept);
    const keep = this.selected(t, q);
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache, private',
    });
    // kubectl waits for the response headers before it counts the watch as started.
    res.flushHeaders();
    let first = true;
    const write = (type: string, object: ApiObject): void => {
      const payload = table ? this.table(resource, [object], q, first) : object;
      first = false;
      res.write(`${JSON.stringify({ type, object: payload })}\n`);
    };
    const rvText = q.get('resourceVersion');
    const rv = rvText === null || rvText === '' || rvText === '0' ? undefined : Number(rvText);
    if (rv !== undefined && rv < this.cluster.oldestRv - 1) {
      res.end(
        `${JSON.stringify({ type: 'ERROR', object: new StatusError('Expired', `too old resource version: ${rv} (${this.cluster.oldestRv})`).toStatus() })}\n`,
      );
      return;
    }
    if (rv === undefined) for (const o of resource.list(this.cluster.state).filter(keep)) write('ADDED', o);
    const stop = this.cluster.watch(rv ?? this.cluster.state.resourceVersion, (event: WatchEvent) => {
      if (event.resource !== resource) return;
      if (!keep(event.object)) return;
      write(event.type, event.object);
    });
    const timeout = Number(q.get('timeoutSeconds') ?? 1800);
    const timer = setTimeout(() => res.end(), Math.max(1, timeout) * 1000);
    const done = (): void => {
      clearTimeout(timer);
      stop();
    };
    res.on('close', done);
    res.on('finish', done);
  }

  private logs(namespace: string, name: string, q: URLSearchParams, res: ServerResponse): void {
    const state = this.cluster.state;
    const pod = state.pods.find(
      (p) => p.object.metadata.name === name && (p.object.metadata.namespace ?? 'default') === namespace,
    );
    if (!pod) throw new StatusError('NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
    const container = q.get('container') ?? pod.object.spec.containers[0]?.name ?? '';
    if (!pod.object.spec.containers.some((c) => c.name === container))
      throw new StatusError('BadRequest', `container ${container} is not valid for pod ${name}`);
    const status = pod.object.status.containerStatuses?.find((c) => c.name === container);
    const reason = obj(obj(status?.state as Obj | undefined)['waiting'])['reason'];
    const everRan = status !== undefined && (status.restartCount > 0 || !('waiting' in status.state));
    if (pod.object.status.phase === 'Pending' && !everRan)
      throw new StatusError(
        'BadRequest',
        `container "${container}" in pod "${name}" is waiting to start: ${typeof reason === 'string' ? reason : 'ContainerCreating'}`,
      );
    const previous = q.get('previous') === 'true';
    const kubelet = this.cluster.podKubelet;
    const file = kubelet?.logFile(pod, container, previous);
    if (!kubelet || !file)
      throw new StatusError(
        'BadRequest',
        previous
          ? `previous terminated container "${container}" in pod "${name}" not found`
          : `container "${container}" in pod "${name}" is waiting to start: ${typeof reason === 'string' ? reason : 'ContainerCreating'}`,
      );
    const uid = pod.object.metadata.uid;
    void streamLogFile(res, {
      file,
      ...logOptionsFromQuery(q, Date.now()),
      follow: q.get('follow') === 'true' && !previous,
      writing: () => {
        const current = state.pods.find((p) => p.object.metadata.uid === uid);
        return current !== undefined && kubelet.container(current, container)?.running === true;
      },
    }).catch(() => res.destroy());
  }

  private async scale(
    method: string,
    t: ResourcePath,
    name: string,
    q: URLSearchParams,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const { resource, namespace } = t;
    const scaleOf = (o: ApiObject): object => {
      const spec = obj((o as unknown as Obj)['spec']);
      const status = obj((o as unknown as Obj)['status']);
      const labels = obj(obj(spec['selector'])['matchLabels']);
      return {
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: {
          name,
          namespace,
          uid: o.metadata.uid,
          resourceVersion: o.metadata.resourceVersion,
          creationTimestamp: o.metadata.creationTimestamp,
        },
        spec: { replicas: spec['replicas'] },
        status: {
          replicas: typeof status['replicas'] === 'number' ? status['replicas'] : 0,
          selector: Object.entries(labels)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(','),
        },
      };
    };
    if (method === 'GET')
      return send(res, 200, scaleOf(getObject(this.cluster.state, resource, namespace, name)));
    if (method !== 'PATCH' && method !== 'PUT')
      throw new StatusError(
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
    const type =
      method === 'PUT'
        ? 'merge'
        : PATCH_TYPES[(req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? ''];
    if (!type)
      throw new StatusError('UnsupportedMediaType', 'the body of the request was in an unknown format');
    const patch = await this.body(req);
    const out = this.cluster.mutate((state, now) => {
      const current = getObject(state, resource, namespace, name);
      const next = obj(applyPatch(type, scaleOf(current), patch));
      const replicas = obj(next['spec'])['replicas'];
      if (typeof replicas !== 'number' || replicas < 0)
        throw new StatusError(
          'Invalid',
          `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${String(replicas)}: must be greater than or equal to 0`,
        );
      const before = structuredClone(current);
      const full = structuredClone(current) as unknown as Obj;
      full['spec'] = { ...obj(full['spec']), replicas };
      const object = updateObject(state, resource, namespace, name, full, now, false);
      const writer = { ...this.writer(t, q, req), subresource: 'scale' };
      setManagedFields(object, recordUpdate(resource.kind, before, full, writer, now));
      return scaleOf(object);
    });
    send(res, 200, out);
  }
}
