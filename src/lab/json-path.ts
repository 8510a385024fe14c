// The small JSON path subset lab checks use: $.a.b, [0], [*], ['key.with.dots']. A path with [*] yields the
// list of every match; without, one value (or undefined when a segment is missing).
type Segment = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'all' };

const SEGMENT = /\.([A-Za-z_][\w-]*)|\[(\d+)\]|\[\*\]|\['([^']*)'\]/y;

export function parseJsonPath(path: string): Segment[] {
  const segments: Segment[] = [];
  let at = path.startsWith('$') ? 1 : 0;
  while (at < path.length) {
    SEGMENT.lastIndex = at;
    const m = SEGMENT.exec(path);
    if (!m) throw new Error(`invalid JSON path "${path}" at character ${at + 1}`);
    if (m[1] !== undefined) segments.push({ kind: 'key', key: m[1] });
    else if (m[2] !== undefined) segments.push({ kind: 'index', index: Number(m[2]) });
    else if (m[3] !== undefined) segments.push({ kind: 'key', key: m[3] });
    else segments.push({ kind: 'all' });
    at = SEGMENT.lastIndex;
  }
  return segments;
}

function step(values: unknown[], seg: Segment): unknown[] {
  return values.flatMap((v): unknown[] => {
    if (seg.kind === 'all') return Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : [];
    if (seg.kind === 'index') return Array.isArray(v) && seg.index < v.length ? [v[seg.index]] : [];
    return v && typeof v === 'object' && !Array.isArray(v) && seg.key in v
      ? [(v as Record<string, unknown>)[seg.key]]
      : [];
  });
}

/** Evaluates a path: `{found: false}` when a plain path is missing; with [*], always the list of matches. */
export function evaluateJsonPath(document: unknown, path: string): { found: boolean; value: unknown } {
  const segments = parseJsonPath(path);
  const values = segments.reduce<unknown[]>((acc, seg) => step(acc, seg), [document]);
  if (segments.some((s) => s.kind === 'all')) return { found: true, value: values };
  return values.length === 0 ? { found: false, value: undefined } : { found: true, value: values[0] };
}
