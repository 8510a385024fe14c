import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.ts';
import {
  checkHostKey,
  fingerprintOf,
  keyTypeOf,
  knownHostsName,
  matchesHostField,
  parseKnownHosts,
  verifyHostKey,
} from '../../../src/ssh/host-key.ts';
import type { SshTarget } from '../../../src/ssh/types.ts';

const fixtures = join(import.meta.dirname, '../../fixtures/ssh');
const KNOWN_HOSTS = join(fixtures, 'known_hosts');
const entries = parseKnownHosts(readFileSync(KNOWN_HOSTS, 'utf8'));

/** The public key blob of fixture key a/b/c/d (generated with ssh-keygen). */
function blob(name: 'a' | 'b' | 'c' | 'd'): Buffer {
  const [, base64] = readFileSync(join(fixtures, `key-${name}.pub`), 'utf8').split(' ');
  return Buffer.from(base64 ?? '', 'base64');
}

describe('known_hosts parsing', () => {
  test('reads plain, [host]:port, hashed, wildcard, @revoked and @cert-authority lines with their line numbers', () => {
    expect(entries.map((e) => [e.line, e.marker, e.hosts.startsWith('|1|') ? '|1|…' : e.hosts])).toEqual([
      [2, null, 'master.example'],
      [3, null, '[127.0.0.1]:2222'],
      [4, null, '|1|…'],
      [5, null, '|1|…'],
      [6, null, '|1|…'],
      [8, null, '*.lab.example,!evil.lab.example'],
      [9, '@revoked', '*'],
      [10, '@cert-authority', '*.example'],
    ]);
  });

  test('names: port 22 is the bare host, other ports use [host]:port', () => {
    expect(knownHostsName('10.0.0.5', 22)).toBe('10.0.0.5');
    expect(knownHostsName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });

  test.each<[string, string, boolean]>([
    ['master.example', 'master.example', true],
    ['master.example', 'MASTER.example', true],
    ['master.example', 'master.example.evil', false],
    ['*.lab.example,!evil.lab.example', 'node1.lab.example', true],
    ['*.lab.example,!evil.lab.example', 'evil.lab.example', false],
    ['10.0.0.?', '10.0.0.7', true],
    ['10.0.0.?', '10.0.0.17', false],
  ])('pattern %s matches %s: %s', (hosts, name, expected) => {
    expect(matchesHostField(hosts, name)).toBe(expected);
  });

  test('hashed entries (ssh-keygen -H) match each original name and nothing else', () => {
    const [line4, line5, line6] = entries.filter((e) => e.hosts.startsWith('|1|'));
    expect(matchesHostField(line4?.hosts ?? '', 'bastion.example')).toBe(true);
    expect(matchesHostField(line5?.hosts ?? '', '10.0.0.1')).toBe(true);
    expect(matchesHostField(line6?.hosts ?? '', '[192.168.56.10]:2200')).toBe(true);
    expect(matchesHostField(line6?.hosts ?? '', '192.168.56.10')).toBe(false);
    expect(matchesHostField(line4?.hosts ?? '', 'master.example')).toBe(false);
  });
});

describe('checkHostKey', () => {
  test.each<[string, string, number, 'a' | 'b' | 'c' | 'd', unknown]>([
    ['plain match', 'master.example', 22, 'a', { status: 'match', line: 2 }],
    ['plain, changed key', 'master.example', 22, 'b', { status: 'changed', line: 2, keyType: 'ssh-ed25519' }],
    ['[host]:port match', '127.0.0.1', 2222, 'b', { status: 'match', line: 3 }],
    ['same host, other port is unknown', '127.0.0.1', 2200, 'b', { status: 'unknown' }],
    ['hashed match', 'bastion.example', 22, 'c', { status: 'match', line: 4 }],
    ['hashed [host]:port match', '192.168.56.10', 2200, 'a', { status: 'match', line: 6 }],
    ['hashed, changed key', '10.0.0.1', 22, 'a', { status: 'changed', line: 5, keyType: 'ssh-ed25519' }],
    ['wildcard match', 'node1.lab.example', 22, 'b', { status: 'match', line: 8 }],
    ['negated name is unknown', 'evil.lab.example', 22, 'b', { status: 'unknown' }],
    ['revoked key', 'anything.example', 22, 'd', { status: 'revoked', line: 9 }],
    ['cert-authority lines are not host keys', 'x.example', 22, 'c', { status: 'unknown' }],
  ])('%s', (_title, host, port, key, expected) => {
    expect(checkHostKey(entries, host, port, blob(key))).toEqual(expected);
  });

  test('key type and fingerprint come from the blob, as ssh-keygen -l shows them', () => {
    expect(keyTypeOf(blob('a'))).toBe('ssh-ed25519');
    expect(fingerprintOf(blob('a'))).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});

describe('verifyHostKey', () => {
  const target = (hostKey: SshTarget['hostKey'], host = 'master.example'): SshTarget => ({
    name: 'alice/master-node',
    host,
    port: 22,
    user: 'vagrant',
    hostKey,
  });

  test('a changed key is refused naming the host, the file and the line', async () => {
    const decision = await verifyHostKey(target({ mode: 'strict', knownHostsFile: KNOWN_HOSTS }), blob('b'));
    expect(decision).toEqual({
      ok: false,
      refusal:
        `alice/master-node: the host key of master.example has changed: the server offered ssh-ed25519 ${fingerprintOf(blob('b'))}, but ${KNOWN_HOSTS} line 2 holds a different ssh-ed25519 key. ` +
        `Refusing to connect. If the machine was rebuilt (e.g. vagrant destroy + up), remove the stale line with \`ssh-keygen -f ${KNOWN_HOSTS} -R 'master.example'\` and connect again; otherwise someone may be intercepting the connection.`,
    });
  });

  test('accept-new appends an unknown host once, in OpenSSH format; ignore checks nothing', async () => {
    const file = join(tempDir('labkit-kh-'), 'known_hosts');
    writeFileSync(file, '');
    const policy = { mode: 'accept-new', knownHostsFile: file } as const;
    expect(await verifyHostKey(target(policy, 'new.example'), blob('a'))).toEqual({ ok: true });
    expect(await verifyHostKey(target(policy, 'new.example'), blob('a'))).toEqual({ ok: true });
    expect(readFileSync(file, 'utf8')).toBe(`new.example ssh-ed25519 ${blob('a').toString('base64')}\n`);
    expect((await verifyHostKey(target(policy, 'new.example'), blob('b'))).ok).toBe(false);
    expect(await verifyHostKey(target({ mode: 'ignore' }), blob('d'))).toEqual({ ok: true });
  });
});
