// A plain `lab check` answers at once when nothing is on its way (absent, settled) and polls to the deadline
// only while the cluster converges; `--wait` and solve mode keep polling every retryable failure.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { commandProgress, objectProgress } from '../../../src/lab/convergence.ts';
import { InMemoryLabMemory } from '../../../src/lab/memory.ts';
import { runLab } from '../../../src/lab/runner.ts';
import { parseLabSpecText } from '../../../src/lab/spec/load.ts';
import type { ExecResult } from '../../../src/ssh/types.ts';
import { FakeExecutor, fakeTarget, type Answer } from './fake-executor.ts';
import { fakeRegistry, pass } from './fake-registry.ts';

const MINIMAL = fileURLToPath(new URL('../../fixtures/labs/minimal/lab.yaml', import.meta.url));
const NOT_FOUND: Answer = {
  exitCode: 1,
  stderr: 'Error from server (NotFound): deployments.apps "web" not found\n',
};

function deployment(ready: number, image = 'nginx'): Answer {
  return {
    stdout: JSON.stringify({
      kind: 'Deployment',
      metadata: { name: 'web', generation: 1 },
      spec: { replicas: 3, template: { spec: { containers: [{ image }] } } },
      status: {
        observedGeneration: 1,
        replicas: 3,
        readyReplicas: ready,
        updatedReplicas: 3,
        availableReplicas: ready,
      },
    }),
  };
}

async function firstStep(answer: Answer, options: { wait?: boolean; mode?: 'check' | 'solve' } = {}) {
  const executor = new FakeExecutor((_h, text) =>
    text === 'kubectl get deployment web -o json' ? answer : { stdout: '' },
  );
  const spec = parseLabSpecText(
    MINIMAL,
    readFileSync(MINIMAL, 'utf8'),
    fakeRegistry(async () => pass()),
  );
  const started = Date.now();
  const result = await runLab(spec, fakeTarget(executor), {
    mode: options.mode ?? 'check',
    memory: new InMemoryLabMemory(),
    selection: { step: '1' },
    ...(options.wait ? { wait: true } : {}),
  });
  const step = result.steps[0];
  return { step, check: step?.checks[0], elapsed: Date.now() - started };
}

describe('checks answer fast when nothing is converging', () => {
  test('a missing object fails after one attempt, saying to apply the manifest', async () => {
    const { step, check, elapsed } = await firstStep(NOT_FOUND);
    expect(step?.status).toBe('fail');
    expect(check?.attempts).toBe(1);
    expect(check?.progress).toBe('absent');
    expect(elapsed).toBeLessThan(1500);
    expect(step?.message).toBe(
      'check 1 of 1 "three replicas ready": not found: apply the step\'s manifest first (Error from server (NotFound): deployments.apps "web" not found)',
    );
  });

  test('an object still rolling out is polled to the deadline, and the message says it was converging', async () => {
    const { step, check, elapsed } = await firstStep(deployment(1));
    expect(check?.attempts).toBeGreaterThan(3);
    expect(check?.progress).toBe('converging');
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(step?.message).toMatch(
      /^check 1 of 1 "three replicas ready": still converging after 2 s: \$\.status\.readyReplicas is 1, expected 3$/,
    );
  });

  test('a settled object that is not what the step asks fails at once', async () => {
    const { step, check, elapsed } = await firstStep({
      stdout: JSON.stringify({
        kind: 'Deployment',
        metadata: { generation: 2 },
        spec: { replicas: 2 },
        status: {
          observedGeneration: 2,
          replicas: 2,
          readyReplicas: 2,
          updatedReplicas: 2,
          availableReplicas: 2,
        },
      }),
    });
    expect(check?.attempts).toBe(1);
    expect(elapsed).toBeLessThan(1500);
    expect(step?.message).toContain('$.status.readyReplicas is 2, expected 3 (settled, nothing converging');
  });

  test('--wait polls a missing object to the deadline (the old behaviour)', async () => {
    const { check, elapsed } = await firstStep(NOT_FOUND, { wait: true });
    expect(check?.attempts).toBeGreaterThan(3);
    expect(elapsed).toBeGreaterThanOrEqual(1900);
  });

  test('right after solve a missing object is waited for too', async () => {
    const { check, elapsed } = await firstStep(NOT_FOUND, { mode: 'solve' });
    expect(check?.attempts).toBeGreaterThan(3);
    expect(elapsed).toBeGreaterThanOrEqual(1900);
  });

  test('a built-in check that reports absent fails after one attempt', async () => {
    const spec = parseLabSpecText(
      MINIMAL,
      readFileSync(MINIMAL, 'utf8'),
      fakeRegistry(async () => ({
        ok: false,
        message: 'service web not found in namespace default',
        expected: 'service web exists',
        actual: 'NotFound',
        progress: 'absent',
      })),
    );
    const result = await runLab(spec, fakeTarget(new FakeExecutor(() => ({ stdout: '' }))), {
      mode: 'check',
      memory: new InMemoryLabMemory(),
      selection: { step: '2' },
    });
    expect(result.steps[0]?.checks[0]?.attempts).toBe(1);
    expect(result.steps[0]?.message).toContain(
      "not found: apply the step's manifest first (service web not found in namespace default)",
    );
  });
});

describe('objectProgress / commandProgress', () => {
  const cases: [string, unknown, ReturnType<typeof objectProgress>][] = [
    ['not an API object', { status: { readyReplicas: 1 } }, undefined],
    ['deployment all ready', JSON.parse(deployment(3).stdout ?? ''), 'settled'],
    ['deployment 1 of 3 ready', JSON.parse(deployment(1).stdout ?? ''), 'converging'],
    [
      'deployment with a newer generation not yet observed',
      {
        kind: 'Deployment',
        metadata: { generation: 3 },
        spec: { replicas: 1 },
        status: { observedGeneration: 2 },
      },
      'converging',
    ],
    ['pod pending', { kind: 'Pod', status: { phase: 'Pending' } }, 'converging'],
    [
      'pod running not ready',
      { kind: 'Pod', status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } },
      'converging',
    ],
    ['pod terminating', { kind: 'Pod', metadata: { deletionTimestamp: 'x' }, status: {} }, 'converging'],
    ['service', { kind: 'Service', spec: { type: 'ClusterIP' } }, 'settled'],
    ['load balancer pending', { kind: 'Service', spec: { type: 'LoadBalancer' }, status: {} }, 'converging'],
    ['empty list', { kind: 'PodList', items: [] }, 'absent'],
    [
      'list with a starting pod',
      { kind: 'List', items: [{ kind: 'Pod', status: { phase: 'Pending' } }] },
      'converging',
    ],
  ];
  for (const [title, doc, want] of cases) test(title, () => expect(objectProgress(doc)).toBe(want));

  const result = (over: Partial<ExecResult>) => ({
    host: 'master-node',
    command: 'kubectl get x',
    exitCode: 0,
    signal: null,
    stdout: '',
    stderr: '',
    durationMs: 1,
    timedOut: false,
    canceled: false,
    ...over,
  });
  test('kubectl NotFound is absent; a timeout says nothing', () => {
    expect(commandProgress(result({ exitCode: 1, stderr: NOT_FOUND.stderr ?? '' }))).toBe('absent');
    expect(commandProgress(result({ exitCode: 1, stderr: 'connection refused' }))).toBeUndefined();
    expect(commandProgress(result({ exitCode: null, timedOut: true }))).toBeUndefined();
    expect(commandProgress(result({ stdout: 'NAME READY' }))).toBeUndefined();
  });
});
