// Low-level SSH failures (socket errno codes, ssh2's error levels, host-key refusals) → a short reason for
// the first line and one sentence naming the host and address with what to do about it.
import { formatDuration } from './message.ts';
import type { SshTarget } from './types.ts';

export type SshFailureKind =
  | 'refused'
  | 'timeout'
  | 'unreachable'
  | 'dns'
  | 'auth'
  | 'host-key'
  | 'key-file'
  | 'connection-lost'
  | 'other';

export interface Explanation {
  readonly kind: SshFailureKind;
  /** Short, for the first line: `connection refused by 127.0.0.1:2222`. */
  readonly reason: string;
  /** A sentence naming the host and address, then what to do. */
  readonly hint: string;
}

/** What an error may carry: Node's errno fields, ssh2's `level`, our host-key refusal text. */
export interface ErrorLike {
  readonly message?: string;
  readonly code?: string;
  readonly level?: string;
  readonly hostKeyRefusal?: string;
  readonly path?: string;
}

/** `127.0.0.1:2222`, or `10.0.0.5:22 via bastion:22` through a jump host. */
export function formatAddress(target: SshTarget): string {
  const here = `${target.host}:${target.port}`;
  return target.jump ? `${here} via ${formatAddress(target.jump)}` : here;
}

function checkMachine(target: SshTarget): string {
  if (target.origin === 'vagrant')
    return 'check that the VM is running (`vagrant status`) and that the port matches `vagrant ssh-config`';
  if (target.origin === 'inventory')
    return 'check that the machine is up with sshd running, and that host and port in the inventory are right';
  return 'check that the machine is up with sshd running (for a Vagrant VM: `vagrant status`, `vagrant ssh-config`)';
}

function checkCredentials(target: SshTarget): string {
  const key = target.identityFile ? `key ${target.identityFile}` : 'no identity file';
  const fix =
    target.origin === 'vagrant'
      ? 're-read `vagrant ssh-config` (a recreated VM gets a new key)'
      : target.origin === 'inventory'
        ? 'check user and identityFile for this host in the inventory'
        : 'check the user and the key in the inventory, or re-read `vagrant ssh-config`';
  return `${target.name}: ${formatAddress(target)} did not accept user "${target.user}" with ${key}: ${fix}.`;
}

/** Explains why connecting to (or talking to) `target` failed. */
export function explainSshError(error: ErrorLike, target: SshTarget): Explanation {
  const name = target.name;
  const address = formatAddress(target);
  const message = error.message ?? '';
  const timeout = formatDuration((target.connectTimeoutSec ?? 20) * 1000);
  if (error.hostKeyRefusal)
    return { kind: 'host-key', reason: `host key refused for ${address}`, hint: error.hostKeyRefusal };
  if (error.code === 'ECONNREFUSED')
    return {
      kind: 'refused',
      reason: `connection refused by ${address}`,
      hint: `${name}: nothing accepts SSH connections at ${address}: ${checkMachine(target)}.`,
    };
  if (error.code === 'ETIMEDOUT' || error.level === 'client-timeout' || /timed out/i.test(message))
    return {
      kind: 'timeout',
      reason: `no answer from ${address} within ${timeout}`,
      hint: `${name}: ${address} did not complete an SSH handshake within ${timeout} (machine down, booting, or traffic dropped): ${checkMachine(target)}.`,
    };
  if (error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH')
    return {
      kind: 'unreachable',
      reason: `no route to ${address}`,
      hint: `${name}: this machine has no route to ${address}: check the private network (the VM's host-only address, \`vagrant status\`) or the host in the inventory.`,
    };
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN' || error.level === 'client-dns')
    return {
      kind: 'dns',
      reason: `cannot resolve host name "${target.host}"`,
      hint: `${name}: the name "${target.host}" does not resolve (DNS): check the host in the inventory, or use an IP address.`,
    };
  if (error.level === 'client-authentication' || /authentication methods failed/i.test(message))
    return { kind: 'auth', reason: `authentication failed at ${address}`, hint: checkCredentials(target) };
  if (error.code === 'ENOENT' || error.code === 'EACCES')
    return {
      kind: 'key-file',
      reason: `cannot read private key ${error.path ?? target.identityFile ?? ''}`.trimEnd(),
      hint: `${name}: the private key ${error.path ?? target.identityFile ?? '(none)'} cannot be read (${error.code}): check identityFile in the inventory, or re-read \`vagrant ssh-config\`.`,
    };
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE' || /connection lost|closed/i.test(message))
    return {
      kind: 'connection-lost',
      reason: `connection to ${address} lost`,
      hint: `${name}: the SSH connection to ${address} was lost (the machine rebooted, sshd restarted, or the network dropped): ${checkMachine(target)}, then run the command again.`,
    };
  return {
    kind: 'other',
    reason: `SSH failure at ${address}: ${message || error.code || 'unknown error'}`,
    hint: `${name}: SSH to ${address} failed (${message || error.code || 'unknown error'}): ${checkMachine(target)}.`,
  };
}
