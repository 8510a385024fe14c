// Events as the control plane records them: one store of core/v1 Event objects (events.k8s.io/v1 is a view
// of the same objects, as in kube-apiserver), written through the two recorders Kubernetes components use.
// - The core recorder (client-go tools/record: kubelet, controller-manager) dedupes an identical event into
//   `count` + `lastTimestamp` (EventLogger) and, after 10 different messages with the same reason for the
//   same object within 10 minutes, folds further ones into one "(combined from similar events): ..." event
//   (EventAggregator).
// - The events.k8s.io recorder (kube-scheduler) writes eventTime/action/reportingController and folds a
//   repeat within 6 minutes into `series`.
// kube-apiserver keeps each event for --event-ttl (default 1h) after its last write; the simulator also
// caps the store so a crash-looping pod cannot grow the state file without bound.
import { isoSeconds, newMeta, touch } from './meta.ts';
import { namespaceAdmission } from './namespace-objects.ts';
import type { ClusterState } from './state.ts';
import type { ApiObject, Event, ObjectReference } from './types.ts';

export type EventType = 'Normal' | 'Warning';

/** The recording component: `{ component: 'kubelet', host: 'worker-node01' }`, `{ component: 'replicaset-controller' }`. */
export interface EventSource {
  readonly component: string;
  readonly host?: string;
}

export interface EventOptions {
  /** The container an event is about: `spec.containers{my-webserver}`. */
  readonly fieldPath?: string;
  /** Set for the events.k8s.io recorder (kube-scheduler): `Binding`, `Scheduling`. */
  readonly action?: string;
  /** events.k8s.io recorder: reportingInstance (`default-scheduler-master-node`). */
  readonly instance?: string;
}

/** kube-apiserver --event-ttl default. */
export const EVENT_TTL_MS = 3_600_000;
/** The simulator's cap on stored events (the oldest go first). */
export const MAX_EVENTS = 1000;
/** client-go EventAggregator: maxEvents and maxIntervalInSeconds. */
export const AGGREGATE_MAX_EVENTS = 10;
export const AGGREGATE_INTERVAL_MS = 600_000;
export const COMBINED_PREFIX = '(combined from similar events): ';
/** events.k8s.io recorder: a repeat within this window becomes a series. */
export const SERIES_WINDOW_MS = 6 * 60_000;

export function objectReference(object: ApiObject, fieldPath?: string): ObjectReference {
  return {
    kind: object.kind,
    ...(object.metadata.namespace !== undefined ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name,
    uid: object.metadata.uid,
    apiVersion: object.apiVersion,
    resourceVersion: object.metadata.resourceVersion,
    ...(fieldPath !== undefined ? { fieldPath } : {}),
  };
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const join = (parts: readonly (string | undefined)[]): string => parts.map((p) => p ?? '').join('\u0000');

function refKey(ref: ObjectReference): string[] {
  return [ref.kind, ref.namespace, ref.name, ref.uid, ref.apiVersion].map((p) => p ?? '');
}

/** client-go EventAggregatorByReasonFunc: everything but the message. */
function aggregateKey(e: Pick<Event, 'source' | 'involvedObject' | 'type' | 'reason'>): string {
  return join([e.source.component, e.source.host, ...refKey(e.involvedObject), e.type, e.reason]);
}

/** client-go getEventKey: the identity under which repeats are counted. */
function eventKey(e: Pick<Event, 'source' | 'involvedObject' | 'type' | 'reason' | 'message'>): string {
  const r = e.involvedObject;
  return join([
    e.source.component,
    e.source.host,
    r.kind,
    r.namespace,
    r.name,
    r.fieldPath,
    r.uid,
    r.apiVersion,
    e.type,
    e.reason,
    e.message,
  ]);
}

/** `<object>.<hex nanoseconds>` as the recorders name events, unique within the store. */
function eventName(state: ClusterState, objectName: string, now: number): string {
  let nanos = BigInt(now) * 1_000_000n;
  const taken = new Set(state.events.map((e) => e.metadata.name));
  while (taken.has(`${objectName}.${nanos.toString(16)}`)) nanos += 1n;
  return `${objectName}.${nanos.toString(16)}`;
}

/** The time of an event's last write, which its TTL counts from. */
export function lastWriteMs(e: Event): number {
  const times = [e.lastTimestamp, e.series?.lastObservedTime, e.eventTime, e.metadata.creationTimestamp];
  return Math.max(...times.filter((t): t is string => typeof t === 'string').map((t) => Date.parse(t)));
}

/** EventAggregator: the message to record, and whether it is the combined event. */
function aggregate(
  state: ClusterState,
  key: string,
  message: string,
  now: number,
): { message: string; combined: boolean } {
  let record = state.eventAggregates[key];
  if (!record || now - record.lastMs > AGGREGATE_INTERVAL_MS) record = { messages: [], lastMs: now };
  if (!record.messages.includes(message)) record.messages.push(message);
  record.lastMs = now;
  state.eventAggregates[key] = record;
  if (record.messages.length < AGGREGATE_MAX_EVENTS) return { message, combined: false };
  record.messages.shift();
  return { message: `${COMBINED_PREFIX}${message}`, combined: true };
}

/** A new event about `ref`, named and placed in its namespace as the recorders do, added to the store. */
function storeEvent(
  state: ClusterState,
  ref: ObjectReference,
  now: number,
  body: Pick<
    Event,
    | 'reason'
    | 'message'
    | 'type'
    | 'source'
    | 'firstTimestamp'
    | 'lastTimestamp'
    | 'eventTime'
    | 'reportingComponent'
    | 'reportingInstance'
  > &
    Partial<Pick<Event, 'count' | 'action'>>,
): Event {
  const event: Event = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: newMeta(state, now, {
      name: eventName(state, ref.name, now),
      namespace: ref.namespace ?? 'default',
    }),
    involvedObject: ref,
    ...body,
  };
  state.events.push(event);
  return event;
}

function recordCore(
  state: ClusterState,
  ref: ObjectReference,
  fields: { type: EventType; reason: string; message: string; source: EventSource },
  now: number,
): Event {
  const source = {
    component: fields.source.component,
    ...(fields.source.host ? { host: fields.source.host } : {}),
  };
  const probe = { source, involvedObject: ref, type: fields.type, reason: fields.reason };
  const aggKey = aggregateKey(probe);
  const { message, combined } = aggregate(state, aggKey, fields.message, now);
  const existing = state.events.find((e) =>
    combined
      ? e.message.startsWith(COMBINED_PREFIX) && aggregateKey(e) === aggKey
      : e.eventTime === null && eventKey(e) === eventKey({ ...probe, message }),
  );
  if (existing) {
    existing.count = (existing.count ?? 1) + 1;
    existing.lastTimestamp = isoSeconds(now);
    existing.message = message;
    touch(state, existing.metadata);
    return existing;
  }
  return storeEvent(state, ref, now, {
    reason: fields.reason,
    message,
    source,
    firstTimestamp: isoSeconds(now),
    lastTimestamp: isoSeconds(now),
    count: 1,
    type: fields.type,
    eventTime: null,
    reportingComponent: source.component,
    reportingInstance: source.host ?? '',
  });
}

function recordSeries(
  state: ClusterState,
  ref: ObjectReference,
  fields: {
    type: EventType;
    reason: string;
    message: string;
    source: EventSource;
    action: string;
    instance: string;
  },
  now: number,
): Event {
  const existing = state.events.find(
    (e) =>
      e.action === fields.action &&
      e.reason === fields.reason &&
      e.type === fields.type &&
      e.message === fields.message &&
      e.reportingComponent === fields.source.component &&
      join(refKey(e.involvedObject)) === join(refKey(ref)) &&
      now - lastWriteMs(e) <= SERIES_WINDOW_MS,
  );
  if (existing) {
    existing.series = { count: (existing.series?.count ?? 1) + 1, lastObservedTime: microTime(now) };
    touch(state, existing.metadata);
    return existing;
  }
  return storeEvent(state, ref, now, {
    reason: fields.reason,
    message: fields.message,
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    type: fields.type,
    eventTime: microTime(now),
    action: fields.action,
    reportingComponent: fields.source.component,
    reportingInstance: fields.instance,
  });
}

function isApiObject(o: ApiObject | ObjectReference): o is ApiObject {
  return typeof o['metadata'] === 'object' && o['metadata'] !== null;
}

/** Records one event about `involved` as component `source` would, folding repeats like its recorder.
 *  Undefined when kube-apiserver refuses it: its namespace is gone or Terminating (NamespaceLifecycle). */
export function recordEvent(
  state: ClusterState,
  involved: ApiObject | ObjectReference,
  type: EventType,
  reason: string,
  message: string,
  source: EventSource,
  now: number,
  options: EventOptions = {},
): Event | undefined {
  const namespace = isApiObject(involved) ? involved.metadata.namespace : involved.namespace;
  if (namespaceAdmission(state, namespace ?? 'default') !== undefined) return undefined;
  const ref = isApiObject(involved)
    ? objectReference(involved, options.fieldPath)
    : { ...involved, ...(options.fieldPath !== undefined ? { fieldPath: options.fieldPath } : {}) };
  const event =
    options.action === undefined
      ? recordCore(state, ref, { type, reason, message, source }, now)
      : recordSeries(
          state,
          ref,
          { type, reason, message, source, action: options.action, instance: options.instance ?? '' },
          now,
        );
  capEvents(state);
  return event;
}

/** --event-ttl: an event goes EVENT_TTL_MS after its last write; the recorders' memory goes with time too. */
export function expireEvents(state: ClusterState, now: number): void {
  if (state.events.some((e) => now - lastWriteMs(e) >= EVENT_TTL_MS))
    state.events = state.events.filter((e) => now - lastWriteMs(e) < EVENT_TTL_MS);
  for (const [key, record] of Object.entries(state.eventAggregates))
    if (now - record.lastMs > AGGREGATE_INTERVAL_MS) Reflect.deleteProperty(state.eventAggregates, key);
}

function capEvents(state: ClusterState): void {
  if (state.events.length <= MAX_EVENTS) return;
  const keep = [...state.events].sort((a, b) => lastWriteMs(b) - lastWriteMs(a)).slice(0, MAX_EVENTS);
  const kept = new Set(keep);
  state.events = state.events.filter((e) => kept.has(e));
}

/** The events.k8s.io/v1 shape of a stored event (kube-apiserver converts between the two versions). */
export function toEventsV1(e: Event): Record<string, unknown> {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: structuredClone(e.metadata),
    eventTime: e.eventTime,
    ...(e.series ? { series: { ...e.series } } : {}),
    reportingController: e.reportingComponent,
    reportingInstance: e.reportingInstance,
    ...(e.action !== undefined ? { action: e.action } : {}),
    reason: e.reason,
    regarding: { ...e.involvedObject },
    note: e.message,
    type: e.type,
    ...(e.source.component ? { deprecatedSource: { ...e.source } } : {}),
    deprecatedFirstTimestamp: e.firstTimestamp,
    deprecatedLastTimestamp: e.lastTimestamp,
    ...(e.count !== undefined ? { deprecatedCount: e.count } : {}),
  };
}
