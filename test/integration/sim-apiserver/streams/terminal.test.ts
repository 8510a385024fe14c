// The real kubectl v1.33 in a real terminal (tmux): `kubectl exec -it` and `kubectl run -it --rm` reach
// busybox's interactive sh through the stream handler's TTY (echo, prompt, resize, exit).
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeWithTools } from '../../../helpers/with-tools.ts';
import { kubectlClient, type KubectlClient } from '../../../helpers/real-kubectl.ts';
import { startStreamTestServer, type StreamTestServer } from '../../../helpers/stream-test-server.ts';
import { openTerminal, type Terminal } from '../../../helpers/tmux-terminal.ts';

describeWithTools(['real-kubectl', 'tmux'], 'kubectl -it in a real terminal', () => {
  let server: StreamTestServer;
  let client: KubectlClient;
  let terminal: Terminal | undefined;
  const kubectl = (...args: string[]) => client.argv(...args);

  beforeAll(async () => {
    server = await startStreamTestServer();
    server.addPod('box');
    client = await kubectlClient(server.url);
  });
  afterEach(async () => {
    await terminal?.close();
    terminal = undefined;
  });
  afterAll(async () => {
    await server.close();
    client.cleanup();
  });

  it('kubectl exec -it POD -- sh: prompt, a command and its output, exit', async () => {
    terminal = await openTerminal(kubectl('exec', '-it', 'box', '--', 'sh'));
    await terminal.waitFor((s) => s.endsWith('/ #'), 'the prompt');
    await terminal.type('echo hello $((6*7))');
    await terminal.press('Enter');
    const screen = await terminal.waitFor((s) => /hello 42\n\/ #$/.test(s), 'the output and a new prompt');
    expect(screen).toBe('/ # echo hello $((6*7))\nhello 42\n/ #');
    // kubectl sends the terminal's size at start and on every change (the resize channel).
    await terminal.type('echo size $COLUMNS $LINES');
    await terminal.press('Enter');
    await terminal.waitFor((s) => /\nsize 100 30\n\/ #$/.test(s), 'the first terminal size');
    await terminal.resize(120, 40);
    await terminal.type('echo size $COLUMNS $LINES');
    await terminal.press('Enter');
    await terminal.waitFor((s) => /\nsize 120 40\n\/ #$/.test(s), 'the new terminal size');
    await terminal.type('exit 5');
    await terminal.press('Enter');
    const end = await terminal.waitFor((s) => s.includes('[exit'), 'kubectl to end');
    expect(end.split('\n').slice(-2)).toEqual(['command terminated with exit code 5', '[exit 5]']);
  });

  it('erases with backspace, drops a line on Ctrl-C, leaves on Ctrl-D', async () => {
    terminal = await openTerminal(kubectl('exec', '-it', 'box', '--', 'sh'));
    await terminal.waitFor((s) => s.endsWith('/ #'), 'the prompt');
    await terminal.type('echo abx');
    await terminal.press('BSpace');
    await terminal.type('c');
    await terminal.press('Enter');
    await terminal.waitFor((s) => /\nabc\n\/ #$/.test(s), 'abc');
    await terminal.type('echo never');
    await terminal.press('C-c');
    await terminal.waitFor((s) => /echo never\^C\n\/ #$/.test(s), '^C and a new prompt');
    await terminal.press('C-d');
    const end = await terminal.waitFor((s) => s.includes('[exit'), 'kubectl to end');
    expect(end).not.toContain('never\n');
    expect(end.endsWith('[exit 0]')).toBe(true);
  });

  it('kubectl run -it --rm debug --image=docker.io/busybox --restart=Never sh', async () => {
    terminal = await openTerminal(
      kubectl('run', '-it', '--rm', 'debug', '--image=docker.io/busybox', '--restart=Never', 'sh'),
    );
    // The prompt printed before kubectl attached reaches it too (the process's output is buffered).
    await terminal.waitFor((s) => s.endsWith('/ #'), 'the prompt');
    await terminal.type('hostname');
    await terminal.press('Enter');
    await terminal.waitFor((s) => /\ndebug\n\/ #$/.test(s), 'the pod name and a new prompt');
    await terminal.type('exit');
    await terminal.press('Enter');
    const end = await terminal.waitFor((s) => s.includes('[exit'), 'kubectl to end');
    expect(end).toContain('pod "debug" deleted');
    expect(end.endsWith('[exit 0]')).toBe(true);
    expect(server.pod('debug')).toBeUndefined();
  });
});
