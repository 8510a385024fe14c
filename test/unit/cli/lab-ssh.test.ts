// lab:ssh's arguments and the `vagrant ssh` it runs: the command reaches the VM word for word in every shell
// (cmd.exe, PowerShell, bash), with a terminal only when there is one.
import { describe, expect, test } from 'vitest';
import { parseSshArgs, vagrantSshArgs } from '../../../src/commands/ssh.ts';

describe('lab:ssh arguments', () => {
  test.each([
    // npm passes everything after its own `--`: bash, zsh, cmd.exe, and PowerShell with a current npm.ps1
    ['master-node -- kubectl get pods -o wide', 'master-node', ['kubectl', 'get', 'pods', '-o', 'wide']],
    // older npm.ps1 in PowerShell swallowed the first `--` (npm/cli#3136): the second became npm's
    ['master-node kubectl get pods -o wide', 'master-node', ['kubectl', 'get', 'pods', '-o', 'wide']],
    ['-- master-node -- hostname', 'master-node', ['hostname']],
    ['master-node', 'master-node', []],
    ['master-node -- bash -c "echo $HOSTNAME"', 'master-node', ['bash', '-c', '"echo', '$HOSTNAME"']],
  ])('%s', (line, node, command) => {
    expect(parseSshArgs(line.split(' '))).toEqual({ node, command });
  });

  test('--config before the node, in both spellings', () => {
    expect(parseSshArgs(['--config', 'my.yaml', 'worker-node01', 'uptime'])).toEqual({
      node: 'worker-node01',
      command: ['uptime'],
      config: 'my.yaml',
    });
    expect(parseSshArgs(['--config=my.yaml', 'worker-node01'])).toEqual({
      node: 'worker-node01',
      command: [],
      config: 'my.yaml',
    });
  });

  test('no node', () => {
    expect(parseSshArgs([])).toEqual({ node: undefined, command: [] });
  });
});

describe('vagrant ssh arguments', () => {
  test('an interactive shell is plain `vagrant ssh NODE`: ssh owns the terminal (raw mode, resize, Ctrl-C)', () => {
    expect(vagrantSshArgs('master-node', [], true)).toEqual(['ssh', 'master-node']);
  });

  test('a command in a terminal gets a tty (kubectl exec -it, Ctrl-C to kubectl get -w)', () => {
    expect(vagrantSshArgs('master-node', ['kubectl', 'get', 'pods', '-w'], true)).toEqual([
      'ssh',
      'master-node',
      '--tty',
      '-c',
      'kubectl get pods -w',
    ]);
  });

  test('a piped command gets none, and its words arrive quoted for the remote shell', () => {
    expect(vagrantSshArgs('master-node', ['echo', 'a b', "it's", '$(id)'], false)).toEqual([
      'ssh',
      'master-node',
      '--no-tty',
      '-c',
      "echo 'a b' 'it'\\''s' '$(id)'",
    ]);
  });
});
