// A real terminal for interactive tests: a detached tmux session (its own socket, a fixed size) running
// one command; keys go in with send-keys, the screen comes back with capture-pane.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { quote } from 'shell-quote';

export interface Terminal {
  /** Types literal text (no Enter). */
  type(text: string): Promise<void>;
  /** Presses tmux key names: 'Enter', 'C-c', 'C-d', 'BSpace'. */
  press(...keys: string[]): Promise<void>;
  /** Resizes the terminal (the program gets SIGWINCH, as from a user resizing the window). */
  resize(width: number, height: number): Promise<void>;
  /** The visible screen, trailing blank lines dropped. */
  screen(): Promise<string>;
  /** Polls the screen until `test` holds; throws with the last screen after `timeoutMs`. */
  waitFor(test: (screen: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

/** Runs `argv` in a new terminal of `width`x`height`; when it ends, `[exit N]` is printed and kept. */
export async function openTerminal(
  argv: readonly string[],
  {
    width = 100,
    height = 30,
    env = {},
  }: { width?: number; height?: number; env?: Record<string, string> } = {},
): Promise<Terminal> {
  const dir = mkdtempSync(join(tmpdir(), 'labkit-tmux-'));
  const socket = join(dir, 'sock');
  const tmux = (...args: string[]) => execa('tmux', ['-S', socket, ...args], { timeout: 10_000 });
  const script = `${quote([...argv])}; echo "[exit $?]"; sleep 600`;
  await execa(
    'tmux',
    ['-S', socket, '-f', '/dev/null', 'new-session', '-d', '-x', String(width), '-y', String(height), script],
    {
      timeout: 10_000,
      env: { ...env, TERM: 'xterm' },
    },
  );
  const screen = async (): Promise<string> =>
    (await tmux('capture-pane', '-p', '-t', '0')).stdout.replace(/\s+$/, '');
  return {
    type: async (text) => void (await tmux('send-keys', '-t', '0', '-l', text)),
    press: async (...keys) => void (await tmux('send-keys', '-t', '0', ...keys)),
    resize: async (width, height) =>
      void (await tmux('resize-window', '-t', '0', '-x', String(width), '-y', String(height))),
    screen,
    waitFor: async (test, what, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        last = await screen();
        if (test(last)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`terminal: timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${last}`);
    },
    close: async () => {
      await tmux('kill-server').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
