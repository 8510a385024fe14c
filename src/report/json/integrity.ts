// The checksum a JSON report carries: sha256 over the report's canonical JSON (keys sorted, without the
// integrity field itself). It catches a report edited by hand, or damaged, before a grader counts it; it is no
// signature (labkit is open source: a determined student could recompute it) and the docs say so.
import { createHash } from 'node:crypto';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/** `sha256:<hex>` of everything in the report except its `integrity` field. */
export function reportDigest(report: Readonly<Record<string, unknown>>): string {
  const rest = Object.fromEntries(Object.entries(report).filter(([k]) => k !== 'integrity'));
  return `sha256:${createHash('sha256')
    .update(JSON.stringify(canonical(rest)))
    .digest('hex')}`;
}
