// A fake CheckContext for the checks' unit tests: kubectl `get` answers from realistic JSON (the seed's
// objects, test/fixtures/checks), `run`/`delete` add and remove client pods, and `exec ... -- sh -c SCRIPT`
// runs the check's real script in a real /bin/sh with a stub `wget` first on PATH. The stub records every
// URL it was given and answers with the seed's page for the pod scripted for that request, so the tests
// exercise the scripts' quoting and parsing for real; only the cluster's choices are scripted. Suites whose
// checks exec scripts need the `posix-sh` tool (test/helpers/tools.ts): Windows has no /bin/sh.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckContext } from '../../../src/checks/types.ts';
import type { ExecResult } from '../../../src/ssh/types.ts';
import { toolPath } from '../../helpers/tools.ts';

const FIXTURES = new URL('../../fixtures/checks/', import.meta.url);
export function fixtureJson<T = Json>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as T;
}
export function fixtureText(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

// Fixture JSON is edited freely by tests; a loose recursive type keeps that readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const SEED_PODS = [
  'hostname-deployment-7d4f978855-8h2m9',
  'hostname-deployment-7d4f978855-pzkgc',
  'hostname-deployment-7d4f978855-v7zlc',
] as const;

/** What a client's request i gets: a pod name (the seed page greeting it), NO_ANSWER, or raw page text. */
export const NO_ANSWER = '-';
export type Responder = (client: string, request: number) => string;

export interface FakeCluster {
  pods: Json[];
  services: Record<string, Json>;
  endpoints: Record<string, Json>;
  deployments: Record<string, Json>;
  env: Record<string, string>;
  respond: Responder;
  /** Client pods created by `kubectl run` become Ready (default true). */
  clientsBecomeReady: boolean;
  /** ISO time stamped on created client pods. */
  now: string;
}

export function seedCluster(overrides: Partial<FakeCluster> = {}): FakeCluster {
  const pods = fixtureJson<{ items: Json[] }>('pods-seed-stage1.json').items;
  let turn = 0;
  return {
    pods,
    services: { 'hostname-service-clusterip': fixtureJson('service-seed-stage3.json') },
    endpoints: { 'hostname-service-clusterip': fixtureJson('endpoints-seed-stage3.json') },
    deployments: { 'hostname-deployment': fixtureJson('deployment-seed.json') },
    env: {},
    // Healthy random-ish default: rotate, which is uniform and covers every pod.
    respond: () => SEED_PODS[turn++ % SEED_PODS.length] ?? NO_ANSWER,
    clientsBecomeReady: true,
    now: '2023-06-12T06:30:00Z',
    ...overrides,
  };
}

export interface FakeRun {
  readonly ctx: CheckContext;
  readonly calls: string[][];
  readonly cleanups: { label: string; undo: () => Promise<void> }[];
  /** URLs the stub wget received, per client pod, in order. */
  readonly urls: Map<string, string[]>;
  readonly memory: Map<string, string>;
  readonly scripts: string[];
}

function result(stdout: string, exitCode = 0, stderr = ''): ExecResult {
  return {
    host: 'master-node',
    command: 'kubectl',
    exitCode,
    signal: null,
    stdout,
    stderr,
    durationMs: 1,
    timedOut: false,
    canceled: false,
  };
}

function notFound(kind: string, name: string): ExecResult {
  return result('', 1, `Error from server (NotFound): ${kind} "${name}" not found\n`);
}

function matches(labels: Record<string, string> | undefined, selector: string): boolean {
  return selector.split(',').every((term) => {
    const [k, v] = term.split(/!=|==|=/);
    const neg = term.includes('!=');
    return ((labels ?? {})[k ?? ''] === v) !== neg;
  });
}

const STUB_WGET = `#!/bin/sh
for a; do url=$a; done
printf '%s\\0' "$url" >> "$FAKE_DIR/urls"
n=$(cat "$FAKE_DIR/n")
echo $((n + 1)) > "$FAKE_DIR/n"
answer=$(sed -n "$((n + 1))p" "$FAKE_DIR/answers")
case $answer in
  -|'') exit 1 ;;
  page:*) printf '%s\\n' "\${answer#page:}" ;;
  *) printf '<!DOCTYPE html>\\n<html>\\n<body>\\n        <blockquote>\\n        <p>Hello,  %s</p>     </blockquote>\\n</body>\\n</html>\\n' "$answer" ;;
esac
`;

let clientIp = 12;

export function fakeContext(cluster: FakeCluster, namespace = 'default', commandTimeoutMs = 5_000): FakeRun {
  const calls: string[][] = [];
  const cleanups: FakeRun['cleanups'] = [];
  const urls = new Map<string, string[]>();
  const memory = new Map<string, string>();
  const scripts: string[] = [];
  const requestsSoFar = new Map<string, number>();

  function runScript(client: string, script: string): ExecResult {
    scripts.push(script);
    const dir = mkdtempSync(join(tmpdir(), 'labkit-checks-'));
    try {
      writeFileSync(join(dir, 'wget'), STUB_WGET);
      chmodSync(join(dir, 'wget'), 0o755);
      writeFileSync(join(dir, 'n'), '0');
      const start = requestsSoFar.get(client) ?? 0;
      // Enough scripted answers for any script (the checks send at most a few hundred requests).
      const answers = Array.from({ length: 400 }, (_, i) => cluster.respond(client, start + i));
      writeFileSync(join(dir, 'answers'), answers.join('\n') + '\n');
      // The pod's PATH, not the developer's: the stub, then the system's POSIX utilities.
      const run = spawnSync(toolPath('posix-sh'), ['-c', script], {
        cwd: dir,
        env: { PATH: `${dir}:/usr/bin:/bin`, FAKE_DIR: dir },
        encoding: 'utf8',
      });
      const got = existsSync(join(dir, 'urls'))
        ? readFileSync(join(dir, 'urls'), 'utf8').split('\0').slice(0, -1)
        : [];
      urls.set(client, [...(urls.get(client) ?? []), ...got]);
      requestsSoFar.set(client, start + got.length);
      return result(run.stdout, run.status ?? 1, run.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  function get(kind: string, name: string | undefined, args: string[]): ExecResult {
    const list = (items: Json[]) =>
      result(JSON.stringify({ apiVersion: 'v1', kind: 'List', items, metadata: {} }));
    if (kind === 'pods' && args[2] === '-l')
      return list(cluster.pods.filter((p) => matches(p.metadata.labels, args[3] ?? '')));
    const table: Record<string, [Record<string, Json>, string]> = {
      service: [cluster.services, 'services'],
      endpoints: [cluster.endpoints, 'endpoints'],
      deployment: [cluster.deployments, 'deployments.apps'],
    };
    if (kind === 'pod') {
      const pod = cluster.pods.find((p) => p.metadata.name === name);
      return pod ? result(JSON.stringify(pod)) : notFound('pods', name ?? '');
    }
    const entry = table[kind];
    if (!entry) return result('', 1, `error: the server doesn't have a resource type "${kind}"\n`);
    const obj = entry[0][name ?? ''];
    return obj ? result(JSON.stringify(obj)) : notFound(entry[1], name ?? '');
  }

  const ctx: CheckContext = {
    controlPlane: 'master-node',
    namespace,
    commandTimeoutMs,
    memory: { get: (k) => memory.get(k), set: (k, v) => void memory.set(k, v) },
    onCleanup: (label, undo) => void cleanups.push({ label, undo }),
    exec: () => Promise.reject(new Error('checks must go through ctx.kubectl in these tests')),
    kubectl(args) {
      const argv = [...args];
      calls.push(argv);
      const [verb, kind, name] = argv;
      if (verb === 'get') return Promise.resolve(get(kind ?? '', name, argv));
      if (verb === 'run') {
        const image = argv.find((a) => a.startsWith('--image='))?.slice(8);
        const ready = cluster.clientsBecomeReady;
        cluster.pods.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: kind,
            namespace,
            creationTimestamp: cluster.now,
            labels: { 'labkit.io/role': 'check-client' },
          },
          spec: { containers: [{ name: kind, image }], nodeName: 'worker-node02' },
          status: {
            phase: ready ? 'Running' : 'Pending',
            podIP: ready ? `172.16.158.${clientIp++}` : undefined,
            conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
          },
        });
        return Promise.resolve(result(`pod/${kind} created\n`));
      }
      if (verb === 'wait') {
        // `kubectl wait --for=condition=Ready pod/NAME ... -o json`: the object once Ready; a pod that never
        // gets there times out as kubectl words it (no real waiting: the fake's time stands still).
        const target = argv.find((a) => a.startsWith('pod/'))?.slice(4) ?? '';
        const pod = cluster.pods.find((p) => p.metadata.name === target);
        if (!pod) return Promise.resolve(notFound('pods', target));
        const ready = pod.status?.conditions?.some(
          (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
        );
        return Promise.resolve(
          ready
            ? result(JSON.stringify(pod))
            : result('', 1, `error: timed out waiting for the condition on pods/${target}\n`),
        );
      }
      if (verb === 'delete') {
        cluster.pods = cluster.pods.filter((p) => p.metadata.name !== name);
        return Promise.resolve(result(`pod "${name}" deleted\n`));
      }
      if (verb === 'exec') {
        const pod = kind ?? '';
        if (!cluster.pods.some((p) => p.metadata.name === pod)) return Promise.resolve(notFound('pods', pod));
        const script = argv[argv.length - 1] ?? '';
        if (script === 'env') {
          // '<client>' stands for every pod the check creates itself (their names are random).
          const env = cluster.env[pod] ?? (pod.startsWith('labkit-') ? cluster.env['<client>'] : undefined);
          return Promise.resolve(env === undefined ? result('', 127, 'env: not found\n') : result(env));
        }
        return Promise.resolve(runScript(pod, script));
      }
      return Promise.resolve(result('', 1, `unexpected kubectl ${argv.join(' ')}`));
    },
  };
  return { ctx, calls, cleanups, urls, memory, scripts };
}
