import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import {
  buildRemoteLine,
  commandArgv,
  displayCommand,
  killGroupLine,
  MAX_SCRIPT_BYTES,
} from '../../../src/ssh/command-line.ts';
import { toolPath } from '../../helpers/tools.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

describe('the remote command line', () => {
  test('sudo goes in front as `sudo -n --`, env after it so env_reset keeps it', () => {
    expect(commandArgv({ argv: ['kubeadm', 'init'] }, { sudo: true, env: { K: 'v w' } })).toEqual([
      'sudo',
      '-n',
      '--',
      'env',
      'K=v w',
      'kubeadm',
      'init',
    ]);
    expect(buildRemoteLine({ argv: ['kubeadm', 'reset', '-f'] }, { sudo: true }, 60_000)).toBe(
      `printf 'labkit-pid:%s\\n' "$$" >&2; exec timeout -k 5 62s sudo -n -- kubeadm reset -f`,
    );
  });

  test('a script runs as one `bash -c` argument; the backstop is the deadline plus 2 s', () => {
    expect(buildRemoteLine({ script: 'echo "$1"\nexit 3' }, {}, 1_500)).toBe(
      `printf 'labkit-pid:%s\\n' "$$" >&2; exec timeout -k 5 4s bash -c 'echo "$1"\nexit 3'`,
    );
  });

  test("without the backstop the command is exec'd directly (no `timeout` process)", () => {
    expect(buildRemoteLine({ argv: ['true'] }, { backstop: false, sudo: true }, 60_000)).toBe(
      `printf 'labkit-pid:%s\\n' "$$" >&2; exec sudo -n -- true`,
    );
  });

  test('the displayed command hides env values and redacts secrets', () => {
    expect(
      displayCommand(
        { argv: ['login', '--password', 'hunter2'] },
        { sudo: true, env: { TOKEN: 'abc' }, secrets: ['hunter2'] },
      ),
    ).toBe('sudo -n -- env TOKEN=… login --password ***');
    expect(displayCommand({ script: 'set -e\nkubectl get nodes' }, {})).toBe(
      "bash -c 'set -e\nkubectl get nodes'",
    );
  });

  test('empty argv and oversized scripts are refused', () => {
    expect(() => commandArgv({ argv: [] }, {})).toThrow('a remote command needs at least one word');
    expect(() => commandArgv({ script: 'x'.repeat(MAX_SCRIPT_BYTES + 1) }, {})).toThrow(/^script too large/);
  });

  test('the kill line is dash-compatible (no `--` before a negative PID)', () => {
    expect(killGroupLine(42, false)).toBe(
      "sh -c 'kill -TERM -42 2>/dev/null || exit 0; for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.1; kill -0 -42 2>/dev/null || exit 0; done; kill -KILL -42 2>/dev/null; exit 0'",
    );
    expect(killGroupLine(42, true).startsWith('sudo -n -- sh -c ')).toBe(true);
  });
});

// The line is what a Linux VM's login shell runs: bash, with GNU coreutils' `timeout` as the backstop.
describeWithTools(['linux-shell'], 'the remote command line, run', () => {
  test('the line really runs: pid marker first on stderr, then the command', () => {
    const line = buildRemoteLine(
      { argv: ['sh', '-c', 'echo out; echo err >&2'] },
      { env: { X: '1' } },
      5_000,
    );
    const result = spawnSync(toolPath('linux-shell'), ['-c', line], { encoding: 'utf8' });
    expect(result.stdout).toBe('out\n');
    expect(result.stderr).toMatch(/^labkit-pid:\d+\nerr\n$/);
  });
});
