import { describe, expect, test } from 'vitest';
import { ExecError } from '../../../src/ssh/errors.ts';
import { createMessages, describeFailure, formatDuration } from '../../../src/ssh/message.ts';
import { createResult } from '../../../src/ssh/result.ts';
import type { ExecResult } from '../../../src/ssh/types.ts';

function result(fields: Partial<ExecResult>): ExecResult {
  return createResult(
    {
      host: 'master-node',
      command: 'kubectl get svc hostname-service-clusterip',
      exitCode: 1,
      signal: null,
      stdout: '',
      stderr: '',
      startedAt: 0,
      ...fields,
    },
    12,
  );
}

describe('error messages', () => {
  test.each<[string, Partial<ExecResult>, string]>([
    ['exit code', { exitCode: 1 }, 'master-node: exit code 1: kubectl get svc hostname-service-clusterip'],
    [
      'command not found',
      { exitCode: 127 },
      'master-node: exit code 127 (command not found): kubectl get svc hostname-service-clusterip',
    ],
    [
      'not executable',
      { exitCode: 126 },
      'master-node: exit code 126 (command found but not executable): kubectl get svc hostname-service-clusterip',
    ],
    [
      'signal',
      { exitCode: null, signal: 'SIGKILL' },
      'master-node: killed by SIGKILL (killed): kubectl get svc hostname-service-clusterip',
    ],
    [
      'ssh2 signal name',
      { exitCode: null, signal: 'TERM' },
      'master-node: killed by SIGTERM (terminated): kubectl get svc hostname-service-clusterip',
    ],
    [
      'no status',
      { exitCode: null },
      'master-node: the connection closed before the command reported an exit status: kubectl get svc hostname-service-clusterip',
    ],
    [
      'timeout',
      { exitCode: null, timedOut: true },
      'master-node: timed out after 1.5 s: kubectl get svc hostname-service-clusterip',
    ],
    [
      'canceled',
      { exitCode: null, canceled: true },
      'master-node: canceled: kubectl get svc hostname-service-clusterip',
    ],
    [
      'multi-line command',
      { command: "bash -c 'set -e\nkubectl apply -f -'" },
      "master-node: exit code 1: bash -c 'set -e …",
    ],
  ])('%s', (_title, fields, expected) => {
    expect(createMessages(result(fields), { timeoutMs: 1_500 }).shortMessage).toBe(expected);
  });

  test('the long form adds stderr then stdout, trimmed, and redacts secrets everywhere', () => {
    const failed = result({
      command: 'kubectl create secret docker-registry regcred --docker-password=hunter2',
      stderr: '\nerror: hunter2 rejected\n',
      stdout: '  partial output \n',
    });
    expect(createMessages(failed, { secrets: ['hunter2'] })).toEqual({
      shortMessage:
        'master-node: exit code 1: kubectl create secret docker-registry regcred --docker-password=***',
      message:
        'master-node: exit code 1: kubectl create secret docker-registry regcred --docker-password=***\nerror: *** rejected\npartial output',
    });
  });

  test('ExecError carries the result and both forms', () => {
    const failed = result({ stderr: 'boom' });
    const error = new ExecError(failed);
    expect(error.result).toBe(failed);
    expect(error.shortMessage).toBe('master-node: exit code 1: kubectl get svc hostname-service-clusterip');
    expect(error.message).toBe('master-node: exit code 1: kubectl get svc hostname-service-clusterip\nboom');
    expect(error.result.durationMs).toBe(12);
  });

  test('durations and success read naturally', () => {
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(1_000)).toBe('1 s');
    expect(formatDuration(60_000)).toBe('60 s');
    expect(describeFailure(result({ exitCode: 0 }))).toBe('');
  });
});
