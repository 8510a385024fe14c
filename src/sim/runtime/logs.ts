// A container's log as its shim appended it (CRI format, cri-log.ts): read whole, or followed from a byte
// offset as it grows (until the caller aborts or the container ends), and split back into the container's
// stdout and stderr (attach, `kubectl run -i`).
import { open, readFile } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { CriLineSplitter, logText, type CriEntry } from './cri-log.ts';

/** What the container wrote to stdout and stderr, in order, as `kubectl logs` shows it. */
export async function readLog(path: string): Promise<Buffer> {
  return logText(await readFile(path).catch(() => Buffer.alloc(0)));
}

export interface FollowOptions {
  /** Start at this byte offset (default 0: the whole log; attach starts at the current end). */
  readonly from?: number;
  /** Stops following (the client went away). */
  readonly signal?: AbortSignal;
  /** Resolves when no more output can come (the container ended); the rest is read, then the end. */
  readonly until?: Promise<unknown>;
  readonly pollMs?: number;
}

/** The log's entries from `from` on, then every entry appended, until `until` or `signal`. */
export async function* followCriLog(path: string, options: FollowOptions = {}): AsyncGenerator<CriEntry> {
  const splitter = new CriLineSplitter();
  for await (const chunk of chunks(path, options)) yield* splitter.push(chunk);
  yield* splitter.end();
}

/** The followed log as the container's two output streams (each waits for its reader: the file is the
 *  buffer, so a fast writer and a slow client cost no memory). */
export function followStreams(
  path: string,
  options: FollowOptions = {},
): { stdout: Readable; stderr: Readable } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  void (async () => {
    try {
      for await (const entry of followCriLog(path, options)) {
        const target = entry.stream === 'stderr' ? stderr : stdout;
        if (!target.write(entry.content)) await drained(target, options.signal);
      }
    } finally {
      stdout.end();
      stderr.end();
    }
  })();
  return { stdout, stderr };
}

function drained(stream: PassThrough, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

async function* chunks(path: string, options: FollowOptions): AsyncGenerator<Buffer> {
  let offset = options.from ?? 0;
  let ended = false;
  void options.until?.then(() => (ended = true));
  const buffer = Buffer.alloc(64 * 1024);
  for (;;) {
    if (options.signal?.aborted) return;
    const last = ended;
    const file = await open(path, 'r').catch(() => undefined);
    let read = 0;
    if (file !== undefined) {
      try {
        for (;;) {
          const { bytesRead } = await file.read(buffer, 0, buffer.length, offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
          read += bytesRead;
          yield Buffer.from(buffer.subarray(0, bytesRead));
        }
      } finally {
        await file.close();
      }
    }
    if (last) return;
    if (read === 0)
      await sleep(options.pollMs ?? 100, undefined, { signal: options.signal }).catch(() => undefined);
  }
}

/** The log's current size (where an attach starts reading: the shim writes whole lines). */
export async function logSize(path: string): Promise<number> {
  const file = await open(path, 'r').catch(() => undefined);
  if (file === undefined) return 0;
  try {
    return (await file.stat()).size;
  } finally {
    await file.close();
  }
}
