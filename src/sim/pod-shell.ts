// Runs commands "inside" a pod of the simulated cluster: builds the pod's context (identity, env captured at
// creation, resolv.conf, network through the state file) and hands it to the shell interpreter.
import { randomInt } from 'node:crypto';
import { connect } from './net/connect.ts';
import { resolveName } from './net/dns.ts';
import { hasFault, type ClusterState, type StoredPod } from './model/state.ts';
import { BufferSink, ShellSession, type CommandIo, type Sink } from './shell/session.ts';
import { POD_COMMANDS } from './shell/commands/index.ts';
import { macFor, podFiles, type NetAccess, type PodContext } from './shell/pod-context.ts';

/** Access to the cluster for a pod's network calls: `change` runs on the reconciled state (and saves it). */
export type ClusterAccess = <T>(change: (state: ClusterState, now: number) => T) => Promise<T>;

function peerIndex(state: ClusterState, pod: StoredPod): number {
  const onNode = state.pods.filter((p) => p.object.spec.nodeName === pod.object.spec.nodeName);
  return 20 + Math.max(0, onNode.indexOf(pod)) + ((pod.runtime.ip.split('.').map(Number)[3] ?? 0) % 10);
}

export function podContext(
  state: ClusterState,
  pod: StoredPod,
  access: ClusterAccess,
  random: (n: number) => number = randomInt,
): PodContext {
  const name = pod.object.metadata.name;
  const namespace = pod.object.metadata.namespace ?? 'default';
  const client = { ip: pod.runtime.ip, namespace };
  const net: NetAccess = {
    connect: (host, port, virtualMs) =>
      access((st, now) => connect(st, client, host, port, now + virtualMs, random)),
    lookup: (query) =>
      access((st) => (hasFault(st, 'dns-broken') ? ('timeout' as const) : resolveName(st, namespace, query))),
  };
  const { sleepScale, timeoutScale } = state.config;
  return {
    name,
    namespace,
    ip: pod.runtime.ip,
    mac: macFor(pod.object.metadata.uid),
    peerIndex: peerIndex(state, pod),
    env: pod.runtime.env,
    files: podFiles(name, namespace, pod.runtime.ip, state.cluster.dnsIP),
    dnsServer: state.cluster.dnsIP,
    net,
    wait: (seconds, kind) => {
      const ms = seconds * 1000 * (kind === 'sleep' ? sleepScale : timeoutScale);
      return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
    },
  };
}

export function newPodSession(context: PodContext): ShellSession {
  return new ShellSession(context, POD_COMMANDS);
}

/** Runs an argv as the container's process (`kubectl exec POD -- argv...`). Returns the exit code, or
 *  undefined when the program does not exist in the image. */
export async function runInPod(
  context: PodContext,
  argv: readonly string[],
  io: { stdin: string; out: Sink; err: Sink },
): Promise<number | undefined> {
  const session = newPodSession(context);
  const program = argv[0] ?? '';
  const base = program.slice(program.lastIndexOf('/') + 1);
  const fn = POD_COMMANDS[base];
  if (!fn) return undefined;
  try {
    return await fn(argv.slice(1), io as CommandIo, session);
  } catch (error) {
    if (
      error &&
      typeof error === 'object' &&
      'code' in error &&
      typeof (error as { code: unknown }).code === 'number'
    )
      return (error as { code: number }).code;
    throw error;
  }
}

/** Simulated time after which a detached pod's command counts as never ending (a loop that sleeps). */
export const DETACHED_HORIZON_MS = 86_400_000;

/** Runs a detached pod's own command (`kubectl run x -- sleep 3600`) to completion in simulated time and
 *  returns its output and simulated duration. It runs inside whichever kubectl call comes first after the
 *  pod starts, and a real container's main process never holds up kubectl: so `sleep` and network
 *  timeouts only advance the session's simulated clock here (no real wait, whatever `sleepScale` says),
 *  and the controller keeps the pod Running until startAt + that simulated duration. */
export async function runPodCommand(
  context: PodContext,
  argv: readonly string[],
  budgetMs = 5000,
): Promise<{ output: string; exitCode: number; durationMs: number }> {
  const out = new BufferSink();
  const session = newPodSession({ ...context, wait: () => Promise.resolve() });
  session.deadline = Date.now() + budgetMs;
  session.virtualDeadline = DETACHED_HORIZON_MS;
  const program = argv[0];
  let exitCode: number;
  if (program === undefined)
    exitCode = 0; // busybox's default `sh` exits at once without a terminal
  else {
    const fn = POD_COMMANDS[program.slice(program.lastIndexOf('/') + 1)];
    exitCode = fn
      ? await fn(argv.slice(1), { stdin: '', out, err: out }, session).catch((e: unknown) =>
          e && typeof e === 'object' && 'code' in e ? Number((e as { code: unknown }).code) : 1,
        )
      : 127;
  }
  // A command still going when a budget ran out is treated as one that never ends (a server loop).
  const durationMs = session.cutOff ? 10 * 365 * 86_400_000 : session.virtualMs;
  return { output: out.text, exitCode, durationMs };
}
