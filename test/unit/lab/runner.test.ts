import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { InMemoryLabMemory } from '../../../src/lab/memory.ts';
import { planLab } from '../../../src/lab/dry-run.ts';
import type { RunEvent } from '../../../src/lab/results.ts';
import { runLab } from '../../../src/lab/runner.ts';
import { selectSteps } from '../../../src/lab/select.ts';
import { parseLabSpecText } from '../../../src/lab/spec/load.ts';
import type { CheckRegistry } from '../../../src/lab/spec/types.ts';
import { SshError } from '../../../src/ssh/errors.ts';
import { UserError } from '../../../src/util/exit-codes.ts';
import { FakeExecutor, fakeTarget, type Answer } from './fake-executor.ts';
import { failing, fakeRegistry, pass } from './fake-registry.ts';

const MINIMAL = fileURLToPath(new URL('../../fixtures/labs/minimal/lab.yaml', import.meta.url));

function minimal(registry: CheckRegistry = fakeRegistry()) {
  return parseLabSpecText(MINIMAL, readFileSync(MINIMAL, 'utf8'), registry);
}

function lab(yaml: string, registry: CheckRegistry = fakeRegistry()) {
  return parseLabSpecText('/nonexistent/inline/lab.yaml', yaml, registry);
}

const READY = JSON.stringify({ status: { readyReplicas: 3 } });

/** Answers the minimal lab's commands as a healthy cluster would. */
function healthy(overrides: Record<string, Answer> = {}) {
  return (_host: string, text: string): Answer | undefined =>
    overrides[text] ??
    {
      'kubectl apply -f -': { stdout: 'deployment.apps/web created' },
      'kubectl get pods -o name': { stdout: 'pod/web-1\npod/web-2\n' },
      'kubectl get deployment web -o json': { stdout: READY },
      'kubectl delete pod debug --ignore-not-found': {},
      'kubectl get endpoints web': { stdout: 'NAME  ENDPOINTS\nweb   <none>' },
    }[text];
}

describe('runner', () => {
  test('a healthy run: setup, run, checks, cleanup in order; memory saved; points; exit 0', async () => {
    const executor = new FakeExecutor(healthy());
    const memory = new InMemoryLabMemory();
    const result = await runLab(minimal(), fakeTarget(executor), { mode: 'check', memory });
    expect(result.exitCode).toBe(0);
    expect(result.steps.map((s) => [s.id, s.status, s.points, s.maxPoints])).toEqual([
      ['first-step', 'pass', 2, 2],
      ['second-step', 'pass', 1, 1],
    ]);
    expect([result.points, result.maxPoints]).toEqual([3, 3]);
    expect(executor.texts()).toEqual([
      'kubectl apply -f -',
      'kubectl get pods -o name',
      'kubectl get deployment web -o json',
      'kubectl delete pod debug --ignore-not-found',
    ]);
    expect(executor.calls[0]?.options.stdin).toContain('kind: Deployment');
    expect(memory.get('pods')).toBe('pod/web-1\npod/web-2');
    expect(result.steps[0]?.commands.map((c) => c.phase)).toEqual(['setup', 'run', 'check', 'cleanup']);
  });

  test('solve mode runs the solve commands between setup and run, then confirms with the checks', async () => {
    const executor = new FakeExecutor(healthy());
    const result = await runLab(minimal(), fakeTarget(executor), {
      mode: 'solve',
      memory: new InMemoryLabMemory(),
      selection: { step: '1' },
    });
    expect(result.exitCode).toBe(0);
    expect(result.steps[0]?.commands.map((c) => c.phase)).toEqual([
      'setup',
      'solve',
      'run',
      'check',
      'cleanup',
    ]);
  });

  test('a check is polled until it passes', async () => {
    let calls = 0;
    const executor = new FakeExecutor((_h, text) => {
      if (text !== 'kubectl get deployment web -o json') return healthy()(_h, text);
      calls++;
      return { stdout: JSON.stringify({ status: { readyReplicas: calls < 3 ? 1 : 3 } }) };
    });
    const events: RunEvent[] = [];
    const result = await runLab(minimal(), fakeTarget(executor), {
      mode: 'check',
      memory: new InMemoryLabMemory(),
      selection: { step: 'first-step' },
      emit: (e) => events.push(e),
    });
    expect(result.exitCode).toBe(0);
    expect(result.steps[0]?.checks[0]?.attempts).toBe(3);
    expect(
      events.filter((e) => e.type === 'check-retry').map((e) => e.type === 'check-retry' && e.attempt),
    ).toEqual([1, 2]);
  });

  test('a check that never passes fails at the step deadline with command, expected, actual and hint; cleanup still runs; later steps still run', async () => {
    const executor = new FakeExecutor(
      healthy({
        'kubectl get deployment web -o json': { stdout: JSON.stringify({ status: { readyReplicas: 1 } }) },
      }),
    );
    const t0 = Date.now();
    const result = await runLab(minimal(), fakeTarget(executor), {
      mode: 'check',
      memory: new InMemoryLabMemory(),
    });
    const elapsed = Date.now() - t0;
    const step = result.steps[0];
    expect(result.exitCode).toBe(1);
    expect(step?.status).toBe('fail');
    expect(step?.points).toBe(0);
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(elapsed).toBeLessThan(10_000);
    const attempts = step?.checks[0]?.attempts ?? 0;
    expect(attempts).toBeGreaterThan(5);
    expect(step?.message).toBe(
      `check 1 of 1 "three replicas ready": $.status.readyReplicas is 1, expected 3 (still failing after ${attempts} attempts)`,
    );
    expect(step?.failure).toEqual({
      check: 'three replicas ready',
      command: 'kubectl get deployment web -o json',
      host: 'master-node',
      expected: 'exit code 0; $.status.readyReplicas = 3',
      actual: 'exit code 0; stdout: {"status":{"readyReplicas":1}}',
    });
    expect(step?.hint).toBe('Apply the manifest.');
    // Diagnostics ran because the step failed (and only then), before cleanup.
    expect(step?.diagnostics).toEqual([
      { command: 'kubectl get endpoints web', output: 'NAME  ENDPOINTS\nweb   <none>' },
    ]);
    expect(executor.texts().slice(-2)).toEqual([
      'kubectl get endpoints web',
      'kubectl delete pod debug --ignore-not-found',
    ]);
    expect(executor.texts().at(-1)).toBe('kubectl delete pod debug --ignore-not-found');
    expect(step?.cleanup).toEqual([{ label: 'step first-step cleanup', ok: true, message: 'done' }]);
    expect(result.steps[1]?.status).toBe('pass');
  });

  test('retries of a built-in check share one context (so it can reuse a client pod it made)', async () => {
    const seen = new Set<unknown>();
    let attempts = 0;
    const registry = fakeRegistry(async (ctx) => {
      seen.add(ctx);
      return ++attempts < 3 ? failing('not yet') : pass();
    });
    const result = await runLab(minimal(registry), fakeTarget(new FakeExecutor(healthy())), {
      mode: 'check',
      memory: new InMemoryLabMemory(),
      selection: { step: '2' },
    });
    expect(result.exitCode).toBe(0);
    expect([attempts, seen.size]).toEqual([3, 1]);
  });

  test('all checks of a step share that context; the next step gets a new one', async () => {
    const seen: unknown[] = [];
    const registry = fakeRegistry(async (ctx) => (seen.push(ctx), pass()));
    const spec = lab(
      `
title: t
hosts: [master-node]
steps:
  - id: one
    title: one
    checks: [{ check: fake-check, with: { want: a } }, { check: fake-check, with: { want: b } }]
  - id: two
    title: two
    checks: [{ check: fake-check, with: { want: c } }]
`,
      registry,
    );
    await runLab(spec, fakeTarget(new FakeExecutor(() => ({}))), {
      mode: 'check',
      memory: new InMemoryLabMemory(),
    });
    expect(seen).toHaveLength(3);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[2]).not.toBe(seen[0]);
  });

  test('an unexpected error inside a step is reported as the error of that step; the other steps still run', async () => {
    const executor = new FakeExecutor((_h, text) =>
      text === 'kubectl apply -f -' ? { throws: new TypeError('boom') } : healthy()(_h, text),
    );
    const result = await runLab(minimal(), fakeTarget(executor), {
      mode: 'check',
      memory: new InMemoryLabMemory(),
    });
    expect(result.steps.map((s) => [s.status, s.message])).toEqual([
      ['error', 'unexpected error: boom'],
      ['pass', '1 check passed'],
    ]);
    expect(result.exitCode).toBe(1);
  });

  test('a non-retryable failure ends the check after one attempt', async () => {
    let attempts = 0;
    const registry = fakeRegistry(async () => (attempts++, failing('the service does not exist', false)));
    const result = await runLab(minimal(registry), fakeTarget(new FakeExecutor(healthy())), {
      mode: 'check',
      memory: new InMemoryLabMemory(),
      selection: { step: '2' },
    });
    expect(attempts).toBe(1);
    expect(result.steps[0]?.message).toBe('check 1 of 1 "fake-check": not fine: the service does not exist');
    expect(result.exitCode).toBe(1);
  });

  test('a failed setup command fails the step with what it expected and saw', async () => {
    const executor = new FakeExecutor(
      healthy({ 'kubectl apply -f -': { exitCode: 1, stderr: 'error: no objects passed to apply' } }),
    );
    const result = await runLab(minimal(), fakeTarget(executor), {
      mode: 'check',
      memory: new InMemoryLabMemory(),
      selection: { step: '1' },
    });
    expect(result.steps[0]?.message).toBe(
      'setup command failed: expected exit code 0, got exit code 1: error: no objects passed to apply',
    );
    expect(result.steps[0]?.checks).toEqual([]);
    expect(executor.texts().at(-1)).toBe('kubectl delete pod debug --ignore-not-found');
  });

  test('Ctrl-C stops the run, runs step cleanup and the cleanups checks registered, skips the rest', async () => {
    const controller = new AbortController();
    const removed: string[] = [];
    const registry = fakeRegistry(async (ctx) => {
      ctx.onCleanup('client pod', async () => {
        await ctx.kubectl(['delete', 'pod', 'client', '--wait=false']);
        removed.push('client');
      });
      setTimeout(() => controller.abort(), 30);
      await ctx.kubectl(['exec', 'client', '--', 'sleep', '1000']);
      return pass();
    });
    const spec = lab(
      `
title: t
hosts: [master-node]
steps:
  - id: one
    title: one
    timeout: 10s
    checks: [{ check: fake-check, with: { want: x } }]
    cleanup: [{ argv: [kubectl, delete, pod, debug] }]
  - id: two
    title: two
    checks: [{ check: fake-check, with: { want: x } }]
`,
      registry,
    );
    const executor = new FakeExecutor((_h, text) => (text.startsWith('kubectl exec') ? { hang: true } : {}));
    const t0 = Date.now();
    const result = await runLab(spec, fakeTarget(executor), {
      mode: 'check',
      memory: new InMemoryLabMemory(),
      signal: controller.signal,
    });
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(result.interrupted).toBe(true);
    expect(result.exitCode).toBe(1);
    expect(result.steps.map((s) => [s.status, s.message])).toEqual([
      ['error', 'interrupted (Ctrl-C); cleanup ran'],
      ['skip', 'not run: interrupted (Ctrl-C)'],
    ]);
    expect(removed).toEqual(['client']);
    // The check's client pod first (registered last), then the step's own cleanup.
    expect(executor.texts().slice(-2)).toEqual([
      "kubectl delete pod client '--wait=false'",
      'kubectl delete pod debug',
    ]);
    // Cleanup commands are not tied to the aborted signal.
    expect(executor.calls.at(-1)?.options.signal).toBeUndefined();
  });

  test('an unreachable host ends the run with exit 3 and skips the remaining steps', async () => {
    const target = {
      name: 'master-node',
      host: '192.168.57.99',
      port: 22,
      user: 'vagrant',
      hostKey: { mode: 'ignore' as const },
    };
    const executor = new FakeExecutor(() => ({
      throws: new SshError(target, { code: 'EHOSTUNREACH', message: 'connect EHOSTUNREACH' }),
    }));
    const result = await runLab(minimal(), fakeTarget(executor), {
      mode: 'check',
      memory: new InMemoryLabMemory(),
    });
    expect(result.exitCode).toBe(3);
    expect(result.steps[0]?.status).toBe('error');
    expect(result.steps[0]?.message).toMatch(/^master-node: .*192\.168\.57\.99:22/);
    expect(result.steps[1]).toMatchObject({ status: 'skip', message: 'not run: a lab host was unreachable' });
  });

  test('a host the target lacks is a usage error (exit 2)', async () => {
    const executor = new FakeExecutor(healthy());
    const target = {
      ...fakeTarget(executor),
      resolveHost: (h: string) => {
        if (h !== 'worker-node01') return h;
        throw new UserError('inventory target c1 has no host worker-node01');
      },
    };
    const spec = lab(`
title: t
hosts: [master-node, worker-node01]
steps:
  - id: one
    title: one
    checks: [{ command: { host: worker-node01, argv: [hostname] } }]
  - id: two
    title: two
    checks: [{ command: { argv: [hostname] } }]
`);
    const result = await runLab(spec, target, { mode: 'check', memory: new InMemoryLabMemory() });
    expect(result.exitCode).toBe(2);
    expect(result.steps.map((s) => s.status)).toEqual(['error', 'skip']);
  });
});

describe('templates', () => {
  const spec = () =>
    lab(`
title: t
hosts: [master-node]
steps:
  - id: one
    title: one
    run:
      - argv: [kubectl, delete, 'pod/\${memory.victim}']
      - script: echo "deleted \${memory.victim}"
    checks: [{ command: { argv: [echo, '\${memory.victim}'] }, expect: { stdout: { contains: gone } } }]
`);

  test('a hostile memory value stays one argv word and reaches scripts only as a quoted env var', async () => {
    const hostile = "x'; rm -rf / #$(id)`id` \n y";
    const executor = new FakeExecutor(() => ({ stdout: 'gone' }));
    const result = await runLab(spec(), fakeTarget(executor), {
      mode: 'check',
      memory: new InMemoryLabMemory({ victim: hostile }),
    });
    expect(result.exitCode).toBe(0);
    const [del, script, check] = executor.calls;
    expect(del?.command).toEqual({ argv: ['kubectl', 'delete', `pod/${hostile}`] });
    expect(script?.command).toEqual({ script: 'echo "deleted ${LAB_MEMORY_victim}"' });
    expect(script?.options.env).toEqual({ LAB_MEMORY_victim: hostile });
    expect(check?.command).toEqual({ argv: ['echo', hostile] });
  });

  test('a template naming an unsaved key fails the step and says to run the earlier steps', async () => {
    const executor = new FakeExecutor(() => ({}));
    const result = await runLab(spec(), fakeTarget(executor), {
      mode: 'check',
      memory: new InMemoryLabMemory(),
    });
    expect(result.exitCode).toBe(1);
    expect(result.steps[0]?.message).toBe(
      'lab memory has no "victim": the step that saves it has not run on this target yet (run the earlier steps, or `lab solve` them)',
    );
    expect(executor.calls).toEqual([]);
  });

  test('passEnv values are sent as env and marked secret; unset ones are left out', async () => {
    const executor = new FakeExecutor(() => ({}));
    const s = lab(`
title: t
hosts: [master-node]
steps:
  - id: one
    title: one
    solve: [{ script: 'test -z "$LAB_REGISTRY_PASSWORD" || echo set', passEnv: [LAB_REGISTRY_PASSWORD, LAB_REGISTRY_USERNAME] }]
    checks: [{ command: { argv: ['true'] } }]
`);
    await runLab(s, fakeTarget(executor), {
      mode: 'solve',
      memory: new InMemoryLabMemory(),
      localEnv: { LAB_REGISTRY_PASSWORD: 's3cret' },
    });
    expect(executor.calls[0]?.options.env).toEqual({ LAB_REGISTRY_PASSWORD: 's3cret' });
    expect(executor.calls[0]?.options.secrets).toEqual(['s3cret']);
  });

  test('unlessSaved skips a command once its key is in memory', async () => {
    const executor = new FakeExecutor(() => ({ stdout: 'pod-a pod-b' }));
    const s = lab(`
title: t
hosts: [master-node]
steps:
  - id: one
    title: one
    run: [{ argv: [kubectl, get, pods], save: { before: stdout }, unlessSaved: before }]
    checks: [{ command: { argv: ['true'] } }]
`);
    const memory = new InMemoryLabMemory();
    await runLab(s, fakeTarget(executor), { mode: 'check', memory });
    await runLab(s, fakeTarget(executor), { mode: 'check', memory });
    expect(executor.texts()).toEqual(['kubectl get pods', 'true', 'true']);
    expect(memory.get('before')).toBe('pod-a pod-b');
  });
});

describe('selection and dry run', () => {
  test('--step and --from pick steps by number or id; unknown ones list what exists', () => {
    const spec = minimal();
    expect(selectSteps(spec, { step: '2' }).map((s) => s.id)).toEqual(['second-step']);
    expect(selectSteps(spec, { from: 'first-step' }).map((s) => s.id)).toEqual(['first-step', 'second-step']);
    expect(() => selectSteps(spec, { step: '7' })).toThrow(
      '--step "7": lab minimal has steps 1-2 (first-step, second-step); see `lab explain minimal`',
    );
    expect(() => selectSteps(spec, { step: '1', from: '1' })).toThrow(
      'use either --step or --from, not both',
    );
  });

  test('--dry-run lists every command in order without running anything', () => {
    const lines = planLab(minimal(), minimal().steps, 'solve', new InMemoryLabMemory());
    expect(lines).toEqual([
      '# minimal: solve (dry run: nothing is executed)',
      'step 1 first-step: The deployment exists (timeout 2 s, every 50 ms)',
      '  [setup] master-node$ kubectl apply -f -   # stdin from manifest.yaml',
      '  [solve] master-node$ kubectl apply -f -   # stdin from manifest.yaml',
      '  [run] master-node$ kubectl get pods -o name',
      '  [check] master-node$ kubectl get deployment web -o json',
      '  [diagnose] master-node$ kubectl get endpoints web',
      '  [cleanup] master-node$ kubectl delete pod debug --ignore-not-found',
      'step 2 second-step: The fake check passes (timeout 1 s, every 50 ms)',
      '  [check] fake-check {"want":"yes"}   # built-in: A check whose outcome the test decides.',
    ]);
  });
});
