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

export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
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

export function podTemplateHash(template: unknown): string {
  return safeEncode(String(fnv32a(canonicalJson(template))));
}
