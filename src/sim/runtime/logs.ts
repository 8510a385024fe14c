// `kubectl logs`: a container's stdout and stderr as its launcher appended them to one file, read
// whole, from its last N bytes or followed as it grows (until the caller aborts or the container ends).
import { open, readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

export async function readLog(path: string): Promise<Buffer> {
  return readFile(path).catch(() => Buffer.alloc(0));
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

/** The log's bytes from `from` on, then everything appended, until `until` or `signal`. */
export function followLog(path: string, options: FollowOptions = {}): Readable {
  return Readable.from(chunks(path, options), { objectMode: false });
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

/** The log's current size (where an attach starts reading). */
export async function logSize(path: string): Promise<number> {
  const file = await open(path, 'r').catch(() => undefined);
  if (file === undefined) return 0;
  try {
    return (await file.stat()).size;
  } finally {
    await file.close();
  }
}
