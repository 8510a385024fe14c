// Names and ids the way the control plane makes them: uids, the 5-character random suffix of generated
// names and the pod-template-hash of a Deployment's ReplicaSet (FNV-32a, then apimachinery's
// SafeEncodeString over the decimal digits, which is why hashes look like `7d4f978855`).
import { randomInt, randomUUID } from 'node:crypto';

/** apimachinery/pkg/util/rand: consonants and digits that cannot spell words. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function newUid(): string {
  return randomUUID();
}

/** `generateName` suffix: 5 characters (names.SimpleNameGenerator). */
export function randomSuffix(random: (n: number) => number = randomInt): string {
  let out = '';
  for (let i = 0; i < 5; i++) out += ALPHANUMS[random(ALPHANUMS.length)];
  return out;
}

export function safeEncode(text: string): string {
  let out = '';
  for (const ch of text) out += ALPHANUMS[ch.charCodeAt(0) % ALPHANUMS.length];
  return out;
}

/** FNV-32a over `bytes`, continuing from `hash` (hash/fnv New32a then Write). */
export function fnv32a(bytes: string | Uint8Array, hash = 0x811c9dc5): number {
  for (const byte of typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Stable JSON (sorted keys) so equal templates hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A value as the Go types hold it: null, `{}` and `[]` are the zero value of their field, the same as absent
 *  (kubectl's rollback sends `creationTimestamp: null` and `resources: {}` for a template that had neither). */
export function semanticValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(semanticValue);
  if (value === null) return undefined;
  if (typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => [k, semanticValue(v)] as const)
    .filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** controller.ComputeHash: the hash of the pod template (as the Deployment holds it, without the
 *  pod-template-hash label), then the collision count's 8 little-endian bytes when the Deployment has one. */
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  let hash = fnv32a(canonicalJson(semanticValue(template) ?? {}));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv32a(bytes, hash);
  }
  return safeEncode(String(hash));
}

/** controller.EqualIgnoreHash: the same template but for the pod-template-hash label (apiequality.Semantic:
 *  nil and empty are equal). */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  const strip = (t: unknown): string => {
    const copy = structuredClone(t) as { metadata?: { labels?: Record<string, string> } } | undefined;
    if (copy?.metadata?.labels) Reflect.deleteProperty(copy.metadata.labels, 'pod-template-hash');
    return canonicalJson(semanticValue(copy) ?? {});
  };
  return strip(a) === strip(b);
}
