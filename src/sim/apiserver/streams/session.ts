// One exec/attach stream on an open WebSocket, as kube-apiserver relays the kubelet's to kubectl: client
// messages on stdin (0) and resize (4) go to the process, CLOSE of stdin (255, 0) closes its stdin; its
// stdout (1) and stderr (2) come back, then the exit Status on the error channel (3), then a normal close,
// which client-go reads as the end of every channel.
import { finished } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { WebSocket } from 'ws';
import { Channel, frame, parseClientMessage, ResizeDecoder } from './channels.ts';
import { exitStatus, startFailedStatus, type Status } from './status.ts';
import { ProcessStartError, type PodProcess, type StreamTarget } from './types.ts';

/** A normal closure: client-go turns it into EOF on every channel. */
const NORMAL_CLOSURE = 1000;

export function runStreamSession(ws: WebSocket, target: StreamTarget): void {
  const { request } = target;
  const resize = new ResizeDecoder();
  let process: PodProcess | undefined;
  let clientGone = false;
  // Messages that arrive while the process starts are replayed to it in order.
  const early: Buffer[] = [];

  const toProcess = (message: Buffer): void => {
    if (!process) return void early.push(message);
    const parsed = parseClientMessage(message);
    if (!parsed) return;
    if (parsed.kind === 'stdin' && request.stdin && !process.stdin.writableEnded)
      process.stdin.write(parsed.data);
    else if (parsed.kind === 'close' && parsed.channel === Channel.stdin) process.stdin.end();
    else if (parsed.kind === 'resize' && request.tty)
      for (const size of resize.feed(parsed.data).sizes) process.resize(size);
  };
  ws.on('message', (data, isBinary) => {
    // Every remote-command message is binary; client-go never sends text frames.
    if (isBinary) toProcess(toBuffer(data));
  });
  ws.on('close', () => {
    clientGone = true;
    if (!process) return;
    if (target.ownsProcess) process.kill();
    else detach(process);
  });

  const send = (channel: number, data: Buffer | string): void => {
    if (ws.readyState === ws.OPEN) ws.send(frame(channel, data));
  };
  const end = (status: Status): void => {
    send(Channel.error, JSON.stringify(status));
    if (ws.readyState === ws.OPEN) ws.close(NORMAL_CLOSURE);
  };

  void target.open().then(
    async (started) => {
      process = started;
      if (clientGone) {
        if (target.ownsProcess) started.kill();
        return;
      }
      for (const message of early.splice(0)) toProcess(message);
      const outputs = [
        relay(started.stdout, request.stdout, (d) => send(Channel.stdout, d)),
        relay(started.stderr, request.stderr && !request.tty, (d) => send(Channel.stderr, d)),
      ];
      if (!request.stdin) started.stdin.end();
      const exit = await started.exit;
      await Promise.all(outputs);
      if (clientGone) return;
      // attach reports how the stream ended, not the container's exit code (kubectl reads that from the
      // pod's status); exec reports the command's exit code.
      end(request.kind === 'exec' ? exitStatus(request, exit.code) : exitStatus(request, 0));
    },
    (error: unknown) => {
      if (error instanceof ProcessStartError) return end(startFailedStatus(error.message));
      end(startFailedStatus(error instanceof Error ? error.message : String(error)));
    },
  );
}

const RELAYS = new WeakMap<Readable, (chunk: Buffer) => void>();

/** Forwards a process output to the client (or drops it when not requested) until it ends. */
function relay(stream: Readable, wanted: boolean, send: (data: Buffer) => void): Promise<void> {
  const onData = (chunk: Buffer | string): void => {
    if (wanted) send(toBuffer(chunk));
  };
  RELAYS.set(stream, onData);
  stream.on('data', onData);
  stream.resume(); // an earlier client's detach paused it explicitly; a new listener alone does not resume
  return finished(stream).then(
    () => undefined,
    () => undefined,
  );
}

/** The client detached from a process it does not own: stop reading, keep the rest buffered. */
function detach(process: PodProcess): void {
  for (const stream of [process.stdout, process.stderr]) {
    const onData = RELAYS.get(stream);
    if (onData) stream.off('data', onData);
    stream.pause();
  }
}

function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data.filter((d): d is Buffer => Buffer.isBuffer(d)));
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(String(data), 'utf8');
}
