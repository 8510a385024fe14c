// Who logs in and how: user vagrant (password field `*`, passwordless sudo), the testbed's client key,
// each host's own host key, and the authorized_keys file every host's sshd reads.
import { access, chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import {
  AUTHORIZED_KEYS_DIR,
  AUTHORIZED_KEYS_FILE,
  SUDOERS_FILE,
  TESTBED_USER,
  TESTBED_USER_GECOS,
} from './paths.ts';
import { sh, shResult } from './sh.ts';

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The passwd line fields of `user`, or undefined when there is no such user. */
async function passwdEntry(user: string): Promise<string[] | undefined> {
  const result = await shResult('getent', ['passwd', user]);
  return result.exitCode === 0 ? result.stdout.trim().split(':') : undefined;
}

/** Creates user vagrant if missing (marked with our GECOS) and unlocks it for key logins; true if created. */
export async function ensureUser(): Promise<boolean> {
  const existing = await passwdEntry(TESTBED_USER);
  if (!existing)
    await sh('useradd', [
      '--create-home',
      '--shell',
      '/bin/bash',
      '--comment',
      TESTBED_USER_GECOS,
      TESTBED_USER,
    ]);
  // useradd leaves `!` (locked): with UsePAM no, sshd refuses even key auth for a locked account. `*` = no password, not locked.
  await sh('usermod', ['--password', '*', TESTBED_USER]);
  return !existing;
}

/** User vagrant's uid and gid (from passwd). */
export async function userIds(): Promise<{ uid: number; gid: number }> {
  const entry = await passwdEntry(TESTBED_USER);
  if (!entry) throw new Error(`testbed: no user ${TESTBED_USER}`);
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/** User vagrant's home directory (from passwd). */
export async function userHome(): Promise<string> {
  const entry = await passwdEntry(TESTBED_USER);
  if (!entry?.[5]) throw new Error(`testbed: user ${TESTBED_USER} has no home directory in passwd`);
  return entry[5];
}

/** Removes user vagrant, but only one the testbed created (recognised by its GECOS). */
export async function removeUserIfOurs(): Promise<boolean> {
  const entry = await passwdEntry(TESTBED_USER);
  if (!entry || entry[4] !== TESTBED_USER_GECOS) return false;
  await shResult('userdel', ['--remove', TESTBED_USER]);
  return true;
}

/** /etc/sudoers.d/labkit-testbed: vagrant may sudo without a password (checked with visudo first). */
export async function ensureSudoers(): Promise<void> {
  const text = `# labkit testbed: removed by \`testbed down\`\n${TESTBED_USER} ALL=(ALL) NOPASSWD:ALL\n`;
  await mkdir('/etc/sudoers.d', { recursive: true, mode: 0o755 });
  const candidate = `${SUDOERS_FILE}.tmp`;
  await writeFile(candidate, text, { mode: 0o440 });
  const check = await shResult('visudo', ['-cf', candidate]);
  if (check.exitCode !== 0) {
    await rm(candidate, { force: true });
    throw new Error(
      `testbed: visudo rejected the sudoers drop-in: ${check.stderr.trim() || check.stdout.trim()}`,
    );
  }
  await sh('mv', ['-f', candidate, SUDOERS_FILE]);
}

export async function removeSudoers(): Promise<void> {
  await rm(SUDOERS_FILE, { force: true });
  await rm(`${SUDOERS_FILE}.tmp`, { force: true });
}

/** An ed25519 key pair at `file` (+ .pub), generated once. */
export async function ensureKeyPair(file: string, comment: string): Promise<void> {
  if ((await exists(file)) && (await exists(`${file}.pub`))) return;
  await rm(file, { force: true });
  await rm(`${file}.pub`, { force: true });
  await sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
}

/** Replaces the key pair at `file` with a new one (a host "rebuilt" with a new host key). */
export async function regenerateKeyPair(file: string, comment: string): Promise<void> {
  await rm(file, { force: true });
  await rm(`${file}.pub`, { force: true });
  await ensureKeyPair(file, comment);
}

/** The public key line (`ssh-ed25519 AAAA... comment`) of a key pair. */
export async function publicKeyOf(file: string): Promise<string> {
  return (await readFile(`${file}.pub`, 'utf8')).trim();
}

/** Root-owned authorized_keys (dirs 0755, file 0644) that sshd accepts with StrictModes on. */
export async function writeAuthorizedKeys(publicKeys: readonly string[]): Promise<void> {
  await mkdir(AUTHORIZED_KEYS_DIR, { recursive: true, mode: 0o755 });
  await chmod(AUTHORIZED_KEYS_DIR, 0o755);
  await writeFile(AUTHORIZED_KEYS_FILE, `${publicKeys.join('\n')}\n`, { mode: 0o644 });
  await chmod(AUTHORIZED_KEYS_FILE, 0o644);
}

export async function removeAuthorizedKeys(): Promise<void> {
  await rm(AUTHORIZED_KEYS_DIR, { recursive: true, force: true });
}
