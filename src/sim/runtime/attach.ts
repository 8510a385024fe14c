// `kubectl attach` (and `kubectl run -i/-it`): joins the container's main process. Its output is the log,
// split back into stdout and stderr by the CRI stream tags, from the current end on (or from the start on
// the first attach, so nothing printed before `kubectl run -i` joined is lost); its stdin the fifo the
// container reads (held open read-write by the container itself, so attaching and detaching never ends
// it, except for stdinOnce, whose holder the first client's EOF closes); under a TTY the shim holds the
// terminal and reads resizes from a second fifo. Detaching leaves the container running.
import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { waitForExit, type ContainerRecord } from './container.ts';
import { followStreams, logSize } from './logs.ts';
import type { PodProcess, ProcessExit, TerminalSize } from '../apiserver/streams/types.ts';

export interface AttachOptions {
  /** Replay the whole log (the container's first attach). Default: from the log's current end. */
  readonly fromStart?: boolean;
  /** Forward the client's stdin (the request asked for it). Default true. */
  readonly stdin?: boolean;
  /** The container's stdin as its runtime holds it for `stdinOnce` (startContainer's stdinHolder): the
   *  client's EOF closes it, so the container reads EOF. Without it each attach writes to the fifo through
   *  its own writer and EOF only drops that writer. */
  readonly stdinHolder?: Writable;
  /** The container's exit, when the caller awaits it already. */
  readonly exit?: Promise<ProcessExit>;
}

export async function attachContainer(record: ContainerRecord, o: AttachOptions = {}): Promise<PodProcess> {
  const detached = new AbortController();
  const exit = o.exit ?? waitForExit(record);
  const { stdout, stderr } = followStreams(record.logPath, {
    from: o.fromStart ? 0 : await logSize(record.logPath),
    signal: detached.signal,
    until: exit,
  });
  const stdin = new PassThrough();
  const forward = o.stdin !== false;
  const own = forward && !o.stdinHolder && record.stdinFifo ? fifoWriter(record.stdinFifo) : undefined;
  const target = forward ? (o.stdinHolder ?? own) : undefined;
  if (target) {
    stdin.on('data', (chunk: Buffer) => target.write(chunk));
    stdin.on('end', () => (target === own ? own.destroy() : target.end()));
  } else stdin.resume();
  const resizes = record.resizeFifo ? fifoWriter(record.resizeFifo) : undefined;
  const close = () => {
    own?.destroy();
    resizes?.destroy();
  };
  return {
    stdin,
    stdout,
    stderr,
    // PodProcess: by the exit, the output has ended (the log's last bytes are read first).
    exit: Promise.all([
      exit,
      finished(stdout).catch(() => undefined),
      finished(stderr).catch(() => undefined),
    ]).then(([e]): ProcessExit => {
      close();
      return e;
    }),
    resize: (size: TerminalSize) => resizes?.write(`${size.height} ${size.width}\n`),
    // Detach: an attach never ends the container (StreamTarget.ownsProcess is false for attach).
    kill: () => {
      detached.abort();
      close();
    },
  };
}

/** A writer on a fifo the container holds open; non-blocking open, so a gone reader fails at once
 *  (ENXIO) instead of hanging a thread; a write to a container that is gone is dropped. */
function fifoWriter(path: string): Writable {
  try {
    const fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    const socket = new Socket({ fd, readable: false, writable: true });
    socket.on('error', () => undefined);
    return socket;
  } catch {
    return new Writable({ write: (_chunk, _encoding, done) => done() });
  }
}
