// A PodProcess run by labkit's pod shell (src/sim/shell), the container runtime until pods are real
// processes. The shell's commands take their stdin as one string, so a program reads stdin to its end
// (the client closing stdin, Ctrl-D under a TTY) before it runs; the one exception is busybox's
// interactive `sh` under a TTY, which prints its prompt (`/ # `) and runs each line as it is entered.
import { PassThrough } from 'node:stream';
import { POD_COMMANDS } from '../../shell/commands/index.ts';
import { ShellSyntaxError } from '../../shell/lex.ts';
import { parseScript } from '../../shell/parse.ts';
import type { PodContext } from '../../shell/pod-context.ts';
import { ExitSignal, ShellSession, type CommandIo, type Sink } from '../../shell/session.ts';
import { LineDiscipline, toTerminal } from './line-discipline.ts';
import {
  ProcessStartError,
  type ContainerRuntime,
  type PodProcess,
  type ProcessExit,
  type StartOptions,
  type TerminalSize,
} from './types.ts';

/** busybox ash's prompt for root in `/` (PS1 `\w \$ `). */
export const BUSYBOX_PROMPT = '/ # ';
const KILLED: ProcessExit = { code: 137, signal: 'SIGKILL' };
const SHELLS = new Set(['sh', 'ash']);

const baseName = (program: string): string => program.slice(program.lastIndexOf('/') + 1);

/** containerd's words for an executable missing from the image. */
export function notFoundMessage(program: string): string {
  return `failed to exec in container: OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown`;
}

export function shellRuntime(context: PodContext): ContainerRuntime {
  return {
    start: async (command, options) => {
      const program = command[0];
      if (program === undefined) throw new ProcessStartError('no command given');
      if (!POD_COMMANDS[baseName(program)]) throw new ProcessStartError(notFoundMessage(program));
      return new ShellProcess(context, command, options);
    },
  };
}

class ShellProcess implements PodProcess {
  readonly stdin = new PassThrough();
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly exit: Promise<ProcessExit>;
  private killed = false;
  private settle: (exit: ProcessExit) => void = () => undefined;
  private readonly session: ShellSession;
  private readonly discipline = new LineDiscipline();
  /** Settles when Ctrl-C interrupts the running command; renewed after each interrupt. */
  private interruption = signal();
  private interrupted = false;

  constructor(context: PodContext, command: readonly string[], options: StartOptions) {
    this.session = new ShellSession(
      {
        ...context,
        env: [...context.env, ...(options.env ?? [])],
        // Ctrl-C cuts a sleep or a network wait short, as SIGINT does.
        wait: (seconds, kind) => Promise.race([context.wait(seconds, kind), this.interruption.promise]),
      },
      POD_COMMANDS,
    );
    if (options.tty && options.size) this.resize(options.size);
    this.exit = new Promise((resolve) => (this.settle = resolve));
    if (!options.stdin) this.stdin.end();
    const tty = options.tty;
    const out = this.sink(this.stdout, tty);
    const err = tty ? out : this.sink(this.stderr, false);
    const interactive = tty && command.length === 1 && SHELLS.has(baseName(command[0] ?? ''));
    const run = interactive ? this.repl(out, err) : this.runOnce(command, tty, out, err);
    void run.then(
      (code) => this.finish({ code }),
      (error: unknown) => {
        err.write(`sh: ${error instanceof Error ? error.message : String(error)}\n`);
        this.finish({ code: 1 });
      },
    );
  }

  resize(size: TerminalSize): void {
    // The pod shell has no `stty`; its programs see the size as COLUMNS/LINES.
    this.session.vars.set('COLUMNS', String(size.width));
    this.session.vars.set('LINES', String(size.height));
  }

  kill(): void {
    if (this.killed) return;
    this.killed = true;
    // The interpreter stops at its next command; nothing it writes after this is seen.
    this.session.deadline = 0;
    this.finish(KILLED);
  }

  /** SIGINT to the foreground command: the interpreter stops at its next command, a wait ends now. */
  private interrupt(): void {
    this.interrupted = true;
    this.session.deadline = 0;
    this.interruption.fire();
  }

  /** After an interrupted command: the shell carries on with status 130 (128 + SIGINT). */
  private recover(): void {
    this.interrupted = false;
    this.interruption = signal();
    this.session.deadline = Number.POSITIVE_INFINITY;
    this.session.cutOff = false;
    this.session.status = 130;
  }

  private sink(stream: PassThrough, tty: boolean): Sink {
    return {
      write: (text) => {
        if (!this.killed && !stream.writableEnded) stream.write(tty ? toTerminal(text) : text);
      },
    };
  }

  private finish(exit: ProcessExit): void {
    if (this.stdout.writableEnded) return;
    this.stdout.end();
    this.stderr.end();
    if (!this.stdin.writableEnded) this.stdin.end();
    this.stdin.resume(); // input after the exit goes nowhere, as into a closed pipe
    this.settle(exit);
  }

  /** A program run once. Without a TTY it gets its whole stdin first (piped input to its end); under a
   *  TTY it starts at once with no input, the terminal echoing what is typed and Ctrl-C interrupting it
   *  (the pod shell's programs take stdin as one string, and most programs run with -it read none). */
  private async runOnce(command: readonly string[], tty: boolean, out: Sink, err: Sink): Promise<number> {
    const stdin = tty ? (this.echoTerminal(out), '') : await this.readAll();
    const [program = '', ...args] = command;
    const fn = POD_COMMANDS[baseName(program)];
    if (!fn) return 127;
    const io: CommandIo = { stdin, out, err };
    let code: number;
    try {
      code = await fn(args, io, this.session);
    } catch (error) {
      if (!(error instanceof ExitSignal)) throw error;
      code = error.code;
    }
    return this.interrupted ? 130 : code;
  }

  private readAll(): Promise<string> {
    return new Promise((resolve) => {
      let text = '';
      this.stdin.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      this.stdin.once('end', () => resolve(text));
    });
  }

  private echoTerminal(out: Sink): void {
    this.stdin.on('data', (chunk: Buffer) => {
      for (const event of this.discipline.feed(chunk.toString('utf8'))) {
        if (event.kind === 'echo') out.write(event.text);
        else if (event.kind === 'interrupt') this.interrupt();
      }
    });
  }

  /** busybox's interactive sh: prompt, one line at a time, `exit` or Ctrl-D at the prompt to leave. */
  private repl(out: Sink, err: Sink): Promise<number> {
    return new Promise((resolve, reject) => {
      const pending: string[] = [];
      let running = false;
      let ended = false;
      const leave = (code: number): void => {
        this.stdin.off('data', onData);
        resolve(code);
      };
      const next = async (): Promise<void> => {
        if (running) return;
        running = true;
        try {
          for (let line = pending.shift(); line !== undefined; line = pending.shift()) {
            const code = await this.runLine(line, out, err);
            if (this.killed) return leave(KILLED.code);
            if (this.interrupted) this.recover();
            else if (code !== undefined) return leave(code);
            out.write(BUSYBOX_PROMPT);
          }
          if (ended) leave(this.session.status);
        } finally {
          running = false;
        }
      };
      const onData = (chunk: Buffer): void => {
        for (const event of this.discipline.feed(chunk.toString('utf8'))) {
          if (event.kind === 'echo') out.write(event.text);
          else if (event.kind === 'line') pending.push(event.text);
          else if (event.kind === 'interrupt') {
            pending.length = 0;
            if (running) this.interrupt();
            else out.write(BUSYBOX_PROMPT);
          } else ended = true;
        }
        next().catch(reject);
      };
      this.stdin.on('data', onData);
      this.stdin.once('end', () => {
        ended = true;
        next().catch(reject);
      });
      out.write(BUSYBOX_PROMPT);
    });
  }

  /** Runs one typed line; returns the exit code when it was `exit`. */
  private async runLine(line: string, out: Sink, err: Sink): Promise<number | undefined> {
    try {
      await this.session.runList(parseScript(line), { stdin: '', out, err });
      return undefined;
    } catch (error) {
      if (error instanceof ExitSignal) return error.code;
      if (error instanceof ShellSyntaxError) {
        err.write(`sh: ${error.message}\n`);
        this.session.status = 2;
        return undefined;
      }
      throw error;
    }
  }
}

function signal(): { promise: Promise<void>; fire: () => void } {
  let fire = (): void => undefined;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}
