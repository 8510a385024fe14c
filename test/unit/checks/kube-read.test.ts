import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { CheckFailed, defineCheck, fail } from '../../../src/checks/define-check.ts';
import { kubectlJson } from '../../../src/checks/kube-read.ts';
import type { CheckContext } from '../../../src/checks/types.ts';
import type { ExecResult } from '../../../src/ssh/types.ts';

function ctxReturning(partial: Partial<ExecResult>): CheckContext {
  const result: ExecResult = {
    host: 'master-node',
    command: 'kubectl',
    exitCode: 0,
    signal: null,
    stdout: '',
    stderr: '',
    durationMs: 1,
    timedOut: false,
    canceled: false,
    ...partial,
  };
  return {
    controlPlane: 'master-node',
    namespace: 'default',
    commandTimeoutMs: 7_000,
    memory: { get: () => undefined, set: () => undefined },
    onCleanup: () => undefined,
    exec: () => Promise.resolve(result),
    kubectl: () => Promise.resolve(result),
  };
}

async function outcomeOf(ctx: CheckContext) {
  const error = await kubectlJson(ctx, ['get', 'service', 'web'], z.looseObject({ kind: z.string() }), {
    what: 'service web',
    namespace: 'lab',
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CheckFailed);
  return (error as CheckFailed).outcome;
}

describe('kubectl JSON at the edge', () => {
  test('parses and validates', async () => {
    const ctx = ctxReturning({ stdout: '{"kind":"Service","extra":1}' });
    await expect(
      kubectlJson(ctx, ['get', 'service', 'web'], z.looseObject({ kind: z.string() }), {
        what: 'x',
        namespace: 'lab',
      }),
    ).resolves.toMatchObject({ kind: 'Service' });
  });

  test('timeout names the host and the API server', async () => {
    expect((await outcomeOf(ctxReturning({ timedOut: true, exitCode: null, signal: 'KILL' }))).message).toBe(
      'kubectl get service web -n lab -o json timed out after 7000 ms on master-node: is the API server up?',
    );
  });

  test('NotFound says which object in which namespace (retryable)', async () => {
    const outcome = await outcomeOf(
      ctxReturning({ exitCode: 1, stderr: 'Error from server (NotFound): services "web" not found\n' }),
    );
    expect(outcome).toMatchObject({
      message: 'service web not found in namespace lab',
      progress: 'absent',
      retryable: true,
    });
  });

  test('other kubectl failures keep the last stderr lines', async () => {
    const outcome = await outcomeOf(
      ctxReturning({ exitCode: 1, stderr: 'The connection to the server 192.168.56.10:6443 was refused\n' }),
    );
    expect(outcome.message).toBe(
      'kubectl get service web -n lab -o json failed on master-node (exit 1): The connection to the server 192.168.56.10:6443 was refused',
    );
  });

  test('non-JSON output', async () => {
    expect((await outcomeOf(ctxReturning({ stdout: 'NAME  TYPE' }))).message).toBe(
      'kubectl get service web -n lab -o json did not print JSON: is kubectl on master-node working?',
    );
  });

  test('JSON of the wrong shape is not retryable and names the path', async () => {
    const outcome = await outcomeOf(ctxReturning({ stdout: '{"kind":5}' }));
    expect(outcome).toMatchObject({
      retryable: false,
      message:
        'kubectl get service web -n lab -o json: unexpected service web JSON at kind: Invalid input: expected string, received number',
    });
  });
});

describe('defineCheck', () => {
  const probe = defineCheck({
    name: 'probe',
    description: () => 'test',
    params: z.strictObject({ mode: z.enum(['fail', 'throw', 'pass']) }),
    run(_ctx, p) {
      if (p.mode === 'fail') fail({ message: 'nope', expected: 'e', actual: 'a' });
      if (p.mode === 'throw') return Promise.reject(new Error('host unreachable'));
      return Promise.resolve({ ok: true, message: 'fine', expected: 'e', actual: 'a' });
    },
  });
  const ctx = ctxReturning({});
  test('a thrown CheckFailed becomes the outcome', async () => {
    await expect(probe.run(ctx, { mode: 'fail' })).resolves.toEqual({
      ok: false,
      message: 'nope',
      expected: 'e',
      actual: 'a',
    });
  });
  test('anything else (unreachable host) propagates to the runner', async () => {
    await expect(probe.run(ctx, { mode: 'throw' })).rejects.toThrow('host unreachable');
  });
  test('a pass is returned as is', async () => {
    await expect(probe.run(ctx, { mode: 'pass' })).resolves.toMatchObject({ ok: true });
  });
});
