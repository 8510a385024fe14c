// printers.go printEvent: the Event table (Last Seen, Type, Reason, Object, Message; -o wide adds
// Subobject, Source, First Seen, Count, Name), for core/v1 and events.k8s.io/v1 objects alike.
import type { Event } from '../../model/types.ts';
import { humanDuration } from './age.ts';

const COLUMNS: readonly [string, number, string?][] = [
  ['Last Seen', 0],
  ['Type', 0],
  ['Reason', 0],
  ['Object', 0],
  ['Subobject', 1],
  ['Source', 1],
  ['Message', 0],
  ['First Seen', 1],
  ['Count', 1],
  ['Name', 1, 'name'],
];

export function eventColumnDefinitions(): object[] {
  return COLUMNS.map(([name, priority, format]) => ({
    name,
    type: 'string',
    format: format ?? '',
    description: '',
    priority,
  }));
}

type Obj = Record<string, unknown>;
const since = (t: unknown, now: number): string =>
  typeof t === 'string' && t !== '' ? humanDuration(now - Date.parse(t)) : '<unknown>';

/** A core/v1 view of either version. */
function core(o: Obj): Event {
  if (!('regarding' in o)) return o as unknown as Event;
  return {
    ...(o as unknown as Event),
    involvedObject: o['regarding'] as Event['involvedObject'],
    message: String(o['note'] ?? ''),
    source: (o['deprecatedSource'] as Event['source'] | undefined) ?? {},
    firstTimestamp: (o['deprecatedFirstTimestamp'] as string | null | undefined) ?? null,
    lastTimestamp: (o['deprecatedLastTimestamp'] as string | null | undefined) ?? null,
    ...(typeof o['deprecatedCount'] === 'number' ? { count: o['deprecatedCount'] } : {}),
    reportingComponent: String(o['reportingController'] ?? ''),
  };
}

export function eventCells(object: unknown, now: number): (string | number)[] {
  const e = core(object as Obj);
  const first = e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime, now);
  let last = e.lastTimestamp ? since(e.lastTimestamp, now) : first;
  let count = e.count ?? 0;
  if (e.series) {
    last = since(e.series.lastObservedTime, now);
    count = e.series.count;
  } else if (count === 0) count = 1;
  const ref = e.involvedObject;
  const target = ref.name ? `${ref.kind.toLowerCase()}/${ref.name}` : ref.kind.toLowerCase();
  const component = e.source.component || e.reportingComponent;
  const instance = e.source.host || e.reportingInstance;
  return [
    last,
    e.type,
    e.reason,
    target,
    ref.fieldPath ?? '',
    instance ? `${component}, ${instance}` : component,
    e.message.trim(),
    first,
    count,
    e.metadata.name,
  ];
}
