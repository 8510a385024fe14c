// Host-key verification against an OpenSSH known_hosts file: plain and hashed (`|1|salt|hmac`) host
// patterns, `[host]:port` for ports other than 22, wildcards and `!negation`, `@revoked` lines.
import { createHash, createHmac } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import type { SshTarget } from './types.ts';

export interface KnownHostEntry {
  /** 1-based line in the file. */
  readonly line: number;
  readonly marker: '@revoked' | '@cert-authority' | null;
  /** Comma-separated host patterns, or one hashed `|1|salt|hash` entry. */
  readonly hosts: string;
  readonly keyType: string;
  /** Base64 of the public key blob. */
  readonly key: string;
}

export type HostKeyStatus =
  | { readonly status: 'match'; readonly line: number }
  | { readonly status: 'changed'; readonly line: number; readonly keyType: string }
  | { readonly status: 'revoked'; readonly line: number }
  | { readonly status: 'unknown' };

export type HostKeyDecision = { readonly ok: true } | { readonly ok: false; readonly refusal: string };

/** Parses known_hosts text; comments, blank and malformed lines are skipped. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0];
      fields.shift();
    }
    const [hosts, keyType, key] = fields;
    if (hosts && keyType && key) entries.push({ line: index + 1, marker, hosts, keyType, key });
  });
  return entries;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${body}$`, 'i');
}

function matchesHashed(entry: string, name: string): boolean {
  const [, magic, salt, hash] = entry.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  const computed = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return computed === hash;
}

/** Whether a known_hosts host field applies to `name` (negated patterns exclude). */
export function matchesHostField(hosts: string, name: string): boolean {
  if (hosts.startsWith('|')) return matchesHashed(hosts, name);
  let matched = false;
  for (const pattern of hosts.split(',')) {
    const negated = pattern.startsWith('!');
    if (globToRegExp(negated ? pattern.slice(1) : pattern).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The key type inside an SSH public key blob (its first string), e.g. `ssh-ed25519`. */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** `SHA256:...` as `ssh-keygen -l` prints it. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Looks the offered key up: a matching line wins; a same-type different key means it changed. */
export function checkHostKey(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  blob: Buffer,
): HostKeyStatus {
  const name = knownHostsName(host, port);
  const type = keyTypeOf(blob);
  const key = blob.toString('base64');
  const mine = entries.filter((e) => e.marker !== '@cert-authority' && matchesHostField(e.hosts, name));
  const revoked = entries.find((e) => e.marker === '@revoked' && e.key === key);
  if (revoked) return { status: 'revoked', line: revoked.line };
  const match = mine.find((e) => e.marker === null && e.keyType === type && e.key === key);
  if (match) return { status: 'match', line: match.line };
  const changed = mine.find((e) => e.marker === null && e.keyType === type);
  if (changed) return { status: 'changed', line: changed.line, keyType: type };
  return { status: 'unknown' };
}

/** `~/x` → `$HOME/x`. */
export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

async function readKnownHosts(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Decides whether to trust `blob` for `target` under its policy; accept-new appends unknown hosts. */
export async function verifyHostKey(target: SshTarget, blob: Buffer): Promise<HostKeyDecision> {
  const policy = target.hostKey;
  if (policy.mode === 'ignore') return { ok: true };
  const file = expandHome(policy.knownHostsFile);
  const name = knownHostsName(target.host, target.port);
  const offered = `${keyTypeOf(blob)} ${fingerprintOf(blob)}`;
  const text = await readKnownHosts(file);
  const found = checkHostKey(parseKnownHosts(text ?? ''), target.host, target.port, blob);
  switch (found.status) {
    case 'match':
      return { ok: true };
    case 'revoked':
      return {
        ok: false,
        refusal: `${target.name}: the host key of ${name} (${offered}) is marked @revoked in ${file} line ${found.line}: refusing to connect; ask whoever runs the machine for its new key.`,
      };
    case 'changed':
      return {
        ok: false,
        refusal:
          `${target.name}: the host key of ${name} has changed: the server offered ${offered}, but ${file} line ${found.line} holds a different ${found.keyType} key. ` +
          `Refusing to connect. If the machine was rebuilt (e.g. vagrant destroy + up), remove the stale line with \`ssh-keygen -f ${file} -R '${name}'\` and connect again; otherwise someone may be intercepting the connection.`,
      };
    case 'unknown':
      if (policy.mode === 'accept-new') {
        await mkdir(dirname(file), { recursive: true, mode: 0o700 });
        await appendFile(file, `${name} ${keyTypeOf(blob)} ${blob.toString('base64')}\n`, { mode: 0o600 });
        return { ok: true };
      }
      return {
        ok: false,
        refusal:
          `${target.name}: ${name} is not in ${text === null ? `${file} (the file does not exist)` : file} and the host-key policy is strict (it offered ${offered}). ` +
          `Add it after checking the fingerprint (\`ssh-keyscan -p ${target.port} ${target.host} >> ${file}\`), or set hostKey.mode: accept-new for this host in the inventory.`,
      };
  }
}
