// Client pods: the busybox pods a check sends traffic from (`kubectl run NAME --restart=Never -- sleep 3600`,
// as the seed's `kubectl run -it --rm debug`). Created by the check, waited for with one `kubectl wait` (a
// watch on the server: no poll per 250 ms, which on a real cluster's seconds-long pod start cost a dozen
// kubectl calls per client), removed by the
// runner through ctx.onCleanup. Within one CheckContext (one step's attempts) a client is reused while it is
// still Ready: re-creating it on every poll would cost a pod start per attempt and, for session affinity,
// change the client IP the check is about.
import { randomBytes } from 'node:crypto';
import { t } from '../i18n/index.ts';
import { isConditionTrue } from '../cluster/schemas.ts';
import { fail } from './define-check.ts';
import { parseAnswers, probeScript, REQUEST_LIMIT_S, type Answer } from './http-script.ts';
import { kubectlJson } from './kube-read.ts';
import { podSchema } from './kube-schemas.ts';
import type { ExecResult } from '../ssh/types.ts';
import type { CheckContext } from './types.ts';

export interface ClientPod {
  readonly name: string;
  readonly ip: string;
}

export interface ClientRequest {
  readonly namespace: string;
  readonly image: string;
  /** Short word in the pod name, e.g. `spread` → `labkit-spread-3f9a1c`. */
  readonly purpose: string;
  readonly count: number;
}

/** Purpose of the one client that plain traffic checks share (pods by IP, reachable, spread, replaced): two
 *  checks of one step then cost one pod start. Env and affinity checks need pods of their own (created after
 *  the service; several distinct client IPs). */
export const SHARED_CLIENT = 'client';

/** Label on every client pod, so a student (or `lab reset`) can find leftovers. */
export const CLIENT_LABEL = 'labkit.io/role=check-client';
const reusable = new WeakMap<CheckContext, Map<string, string[]>>();

function newName(purpose: string): string {
  return `labkit-${purpose}-${randomBytes(3).toString('hex')}`;
}

/** The pod's IP when it is Ready (parsed from `kubectl get|wait -o json`), else undefined. */
function readyIpOf(stdout: string): string | undefined {
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  const parsed = podSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const pod = parsed.data;
  return isConditionTrue(pod, 'Ready') && pod.status?.podIP ? pod.status.podIP : undefined;
}

async function readyIp(ctx: CheckContext, name: string, namespace: string): Promise<string | undefined> {
  const result = await ctx.kubectl(['get', 'pod', name, '-n', namespace, '-o', 'json'], {
    timeoutMs: ctx.commandTimeoutMs,
    signal: ctx.signal,
  });
  return result.exitCode === 0 ? readyIpOf(result.stdout) : undefined;
}

async function createClient(ctx: CheckContext, req: ClientRequest): Promise<string> {
  const name = newName(req.purpose);
  const argv = ['run', name, `--image=${req.image}`, '--restart=Never', '-n', req.namespace];
  const result = await ctx.kubectl([...argv, `--labels=${CLIENT_LABEL}`, '--', 'sleep', '3600'], {
    timeoutMs: ctx.commandTimeoutMs,
    signal: ctx.signal,
  });
  // Registered even when `run` failed: it may have created the pod before failing (e.g. a timeout).
  ctx.onCleanup(`delete client pod ${name}`, async () => {
    await ctx.kubectl(['delete', 'pod', name, '-n', req.namespace, '--ignore-not-found', '--wait=false'], {
      timeoutMs: ctx.commandTimeoutMs,
    });
  });
  if (result.exitCode !== 0)
    fail({
      message: t().checks.client.createFailed(name, req.namespace, result.stderr.trim().slice(0, 300)),
      expected: t().checks.client.created(name, req.image),
      actual: t().checks.read.exit(String(result.exitCode ?? result.signal)),
    });
  return name;
}

async function waitReady(
  ctx: CheckContext,
  name: string,
  namespace: string,
  image: string,
): Promise<ClientPod> {
  const say = t().checks;
  const waitS = Math.max(1, Math.round(ctx.commandTimeoutMs / 1000));
  const result = await ctx.kubectl(
    ['wait', '--for=condition=Ready', `pod/${name}`, '-n', namespace, `--timeout=${waitS}s`, '-o', 'json'],
    // kubectl's own --timeout ends it first; the command's deadline is the backstop.
    { timeoutMs: ctx.commandTimeoutMs + WAIT_SLACK_MS, signal: ctx.signal },
  );
  const ip = result.exitCode === 0 ? readyIpOf(result.stdout) : undefined;
  if (ip) return { name, ip };
  const pod = await kubectlJson(ctx, ['get', 'pod', name], podSchema, { what: `pod ${name}`, namespace });
  return fail({
    message: say.client.notReady(name, waitS, pod.status?.phase ?? say.unknown, image, namespace),
    expected: say.client.ready(name),
    actual: say.client.phase(pod.status?.phase ?? say.unknown),
    progress: 'converging',
  });
}

/** Room for SSH and kubectl's start around `kubectl wait --timeout`. */
const WAIT_SLACK_MS = 10_000;

/** `count` Ready client pods in the namespace, reusing this context's earlier ones that are still Ready. */
export async function ensureClientPods(ctx: CheckContext, req: ClientRequest): Promise<ClientPod[]> {
  const key = `${req.namespace}/${req.purpose}/${req.image}/${req.count}`;
  const known = reusable.get(ctx) ?? new Map<string, string[]>();
  reusable.set(ctx, known);
  const previous = known.get(key);
  if (previous) {
    const pods = await Promise.all(
      previous.map(async (name) => ({ name, ip: await readyIp(ctx, name, req.namespace) })),
    );
    const ready = pods.flatMap((pod) => (pod.ip === undefined ? [] : [{ name: pod.name, ip: pod.ip }]));
    if (ready.length === pods.length) return ready;
  }
  const names = await Promise.all(Array.from({ length: req.count }, () => createClient(ctx, req)));
  const pods = await Promise.all(names.map((n) => waitReady(ctx, n, req.namespace, req.image)));
  known.set(key, names);
  return pods;
}

/** One Ready client pod (see ensureClientPods). */
export async function ensureClientPod(
  ctx: CheckContext,
  req: Omit<ClientRequest, 'count'>,
): Promise<ClientPod> {
  const [pod] = await ensureClientPods(ctx, { ...req, count: 1 });
  if (!pod) throw new Error('ensureClientPods returned no pod for count 1');
  return pod;
}

/** Runs a script in a client pod: `kubectl exec POD -n NS -- sh -c SCRIPT`, one round trip. `budgetMs` is how
 *  long the script may legitimately take (requests × REQUEST_LIMIT_S); the exec timeout is at least that. */
export async function execInPod(
  ctx: CheckContext,
  pod: string,
  namespace: string,
  script: string,
  budgetMs: number,
): Promise<ExecResult> {
  const timeoutMs = Math.max(ctx.commandTimeoutMs, budgetMs + 10_000);
  const result = await ctx.kubectl(['exec', pod, '-n', namespace, '--', 'sh', '-c', script], {
    timeoutMs,
    signal: ctx.signal,
  });
  const say = t().checks;
  const exit = String(result.exitCode ?? result.signal);
  if (result.timedOut)
    fail({
      message: say.client.trafficTimeout(pod, Math.round(timeoutMs / 1000)),
      expected: say.client.answeredInTime,
      actual: say.read.timeout,
    });
  if (result.exitCode !== 0)
    fail({
      message: say.client.execFailed(pod, exit, result.stderr.trim().slice(0, 300)),
      expected: say.client.shell(pod),
      actual: result.stderr.trim().slice(0, 200) || say.read.exit(exit),
    });
  return result;
}

/** Asks each URL once from the shared client pod, all in one exec; answers by URL index. */
export async function probeFromSharedClient(
  ctx: CheckContext,
  namespace: string,
  image: string,
  urls: readonly string[],
): Promise<{ client: ClientPod; answers: Map<number, Answer> }> {
  const client = await ensureClientPod(ctx, { namespace, image, purpose: SHARED_CLIENT });
  const result = await execInPod(
    ctx,
    client.name,
    namespace,
    probeScript(urls),
    urls.length * REQUEST_LIMIT_S * 1000,
  );
  return { client, answers: parseAnswers(result.stdout) };
}
