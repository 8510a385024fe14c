// `kubectl attach` (and `kubectl run -it`): joins the container's main process. Its stdin is the fifo
// the container reads (held open read-write by the container itself, so attaching and detaching never
// ends it), its output the log from the current end on, split back into stdout and stderr by the CRI
// stream tags; under a TTY the shim holds the terminal and reads resizes from a second fifo. Detaching leaves the container running.
import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { waitForExit, type ContainerRecord } from './container.ts';
import { followStreams, logSize } from './logs.ts';
import type { PodProcess, ProcessExit, TerminalSize } from '../apiserver/streams/types.ts';

export async function attachContainer(record: ContainerRecord): Promise<PodProcess> {
  const detached = new AbortController();
  const exit = waitForExit(record);
  const { stdout, stderr } = followStreams(record.logPath, {
    from: await logSize(record.logPath),
    signal: detached.signal,
    until: exit,
  });
  const stdin = record.stdinFifo ? fifoWriter(record.stdinFifo) : discard();
  const resizes = record.resizeFifo ? fifoWriter(record.resizeFifo) : undefined;
  return {
    stdin,
    stdout,
    stderr,
    // PodProcess: by the exit, the output has ended (the log's last bytes are read first).
    exit: Promise.all([
      exit,
      finished(stdout).catch(() => undefined),
      finished(stderr).catch(() => undefined),
    ]).then(([e]): ProcessExit => e),
    resize: (size: TerminalSize) => resizes?.write(`${size.height} ${size.width}\n`),
    // Detach: an attach never ends the container (StreamTarget.ownsProcess is false for attach).
    kill: () => {
      detached.abort();
      stdin.destroy();
      resizes?.destroy();
    },
  };
}

/** A writer on a fifo the container holds open; non-blocking open, so a gone reader fails at once
 *  (ENXIO) instead of hanging a thread. */
function fifoWriter(path: string): Writable {
  try {
    const fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    const socket = new Socket({ fd, readable: false, writable: true });
    socket.on('error', () => undefined);
    return socket;
  } catch {
    return discard();
  }
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}
