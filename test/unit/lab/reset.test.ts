import { describe, expect, test } from 'vitest';
import { InMemoryLabMemory } from '../../../src/lab/memory.ts';
import { resetLab } from '../../../src/lab/reset.ts';
import { parseLabSpecText } from '../../../src/lab/spec/load.ts';
import { FakeExecutor, fakeTarget } from './fake-executor.ts';
import { fakeRegistry } from './fake-registry.ts';

const spec = parseLabSpecText(
  '/nonexistent/reset/lab.yaml',
  `
title: t
hosts: [master-node]
steps:
  - id: one
    title: one
    checks: [{ command: { argv: ['true'] } }]
    cleanup: [{ argv: [kubectl, delete, pod, one] }]
  - id: two
    title: two
    checks: [{ command: { argv: ['true'] } }]
    cleanup: [{ argv: [kubectl, delete, pod, '\${memory.made}'], title: remove what step two made }]
cleanup:
  - argv: [kubectl, delete, service, svc]
`,
  fakeRegistry(),
);

function session(executor: FakeExecutor, memory = new InMemoryLabMemory()) {
  return {
    target: fakeTarget(executor),
    memory,
    localEnv: {},
    namespace: 'default',
    controlPlane: 'master-node',
    commandTimeoutMs: 1000,
  };
}

describe('lab reset', () => {
  test('runs the lab cleanup, then each step cleanup from the last step back', async () => {
    const executor = new FakeExecutor(() => ({}));
    const outcome = await resetLab(spec, session(executor, new InMemoryLabMemory({ made: 'p-1' })));
    expect(executor.texts()).toEqual([
      'kubectl delete service svc',
      'kubectl delete pod p-1',
      'kubectl delete pod one',
    ]);
    expect(outcome.ok).toBe(true);
  });

  test('a cleanup naming an unsaved memory key is skipped (nothing was made); a failing one makes reset fail but the rest still run', async () => {
    const executor = new FakeExecutor((_h, text) =>
      text === 'kubectl delete service svc' ? { exitCode: 1, stderr: 'forbidden' } : {},
    );
    const outcome = await resetLab(spec, session(executor));
    expect(executor.texts()).toEqual(['kubectl delete service svc', 'kubectl delete pod one']);
    expect(outcome.ok).toBe(false);
    expect(outcome.lines).toEqual([
      '✖ master-node$ kubectl delete service svc: exit code 1: forbidden',
      '- skipped remove what step two made: lab memory has no "made": the step that saves it has not run on this target yet (run the earlier steps, or `lab solve` them)',
      '✔ master-node$ kubectl delete pod one',
    ]);
  });
});
