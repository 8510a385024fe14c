import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { ProcessStartError, shellRuntime } from '../../../../src/sim/apiserver/streams/index.ts';
import { testPodContext } from '../../../helpers/stream-test-server.ts';

const runtime = shellRuntime(testPodContext('box'));
/** A pod whose `sleep` takes real time (1 simulated s = 1 real s). */
const slow = shellRuntime({
  ...testPodContext('box'),
  wait: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000).unref()),
});

describe('shellRuntime', () => {
  it('runs a command with its whole stdin, separate stdout and stderr, and its exit code', async () => {
    const p = await runtime.start(['sh', '-c', 'cat; echo err >&2; exit 4'], { tty: false, stdin: true });
    p.stdin.end('in\n');
    const [out, err, exit] = await Promise.all([text(p.stdout), text(p.stderr), p.exit]);
    expect({ out, err, exit }).toEqual({ out: 'in\n', err: 'err\n', exit: { code: 4 } });
  });

  it('under a TTY merges stderr into one output with CR LF, and runs sh line by line', async () => {
    const p = await runtime.start(['sh'], { tty: true, stdin: true });
    const out = text(p.stdout);
    p.stdin.write('echo a; nosuch\r');
    p.stdin.write('exit 2\r');
    expect(await p.exit).toEqual({ code: 2 });
    // Typed-ahead input is echoed when typed, as a pty's line discipline does, not when sh reads it.
    expect(await out).toBe('/ # echo a; nosuch\r\nexit 2\r\na\r\nsh: nosuch: not found\r\n/ # ');
    expect(await text(p.stderr)).toBe('');
  });

  it('exposes the terminal size to the shell', async () => {
    const p = await runtime.start(['sh'], { tty: true, stdin: true });
    const out = text(p.stdout);
    p.resize({ width: 120, height: 40 });
    p.stdin.write('echo $COLUMNS $LINES\r\x04');
    expect(await p.exit).toEqual({ code: 0 });
    expect(await out).toContain('120 40\r\n/ # ');
  });

  it('is killed with code 137 and writes nothing after', async () => {
    const p = await runtime.start(['sh'], { tty: true, stdin: true });
    const out = text(p.stdout);
    p.kill();
    p.kill();
    expect(await p.exit).toEqual({ code: 137, signal: 'SIGKILL' });
    expect(await out).toBe('/ # ');
  });

  it('under a TTY interrupts a running command on Ctrl-C and comes back to the prompt with status 130', async () => {
    const p = await slow.start(['sh'], { tty: true, stdin: true });
    const out = text(p.stdout);
    p.stdin.write('sleep 100; echo never\r');
    await new Promise((r) => setTimeout(r, 50));
    p.stdin.write('\x03');
    p.stdin.write('echo status $?\r');
    p.stdin.write('exit\r');
    expect(await p.exit).toEqual({ code: 0 });
    const screen = await out;
    expect(screen).not.toContain('\nnever');
    expect(screen).toContain('^C\r\n');
    expect(screen).toContain('status 130\r\n');
  });

  it('under a TTY runs a program at once (no input) and ends it with 130 on Ctrl-C', async () => {
    const quick = await runtime.start(['hostname'], { tty: true, stdin: true });
    expect(await quick.exit).toEqual({ code: 0 });
    expect(await text(quick.stdout)).toBe('box\r\n');
    const p = await slow.start(['sh', '-c', 'echo start; sleep 100; echo never'], { tty: true, stdin: true });
    const out = text(p.stdout);
    await new Promise((r) => setTimeout(r, 50));
    p.stdin.write('\x03');
    expect(await p.exit).toEqual({ code: 130 });
    expect(await out).toBe('start\r\n^C\r\n');
  });

  it('refuses a program the image does not have, with containerd words', async () => {
    await expect(runtime.start(['/bin/nosuch'], { tty: false, stdin: false })).rejects.toThrow(
      new ProcessStartError(
        'failed to exec in container: OCI runtime exec failed: exec failed: unable to start container process: exec: "/bin/nosuch": executable file not found in $PATH: unknown',
      ),
    );
  });
});
