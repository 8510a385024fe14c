// `kubectl logs` (incl. `-f`, `--tail`, `--previous`) on the simulated kube-apiserver: the container's log
// file as the runtime wrote it (the kubelet knows which attempt's file), streamed as the kubelet's log
// endpoint does: the whole file (or its last N lines), then with follow whatever is appended until the
// container stops.
import { open } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

const FOLLOW_POLL_MS = 100;

function lastLines(text: string, n: number): string {
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  return all.length ? `${all.slice(Math.max(0, all.length - n)).join('\n')}\n` : '';
}

async function readFrom(file: string, offset: number): Promise<Buffer> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return Buffer.alloc(0);
  try {
    const { size } = await handle.stat();
    if (size <= offset) return Buffer.alloc(0);
    const buffer = Buffer.alloc(size - offset);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export interface LogStreamOptions {
  readonly file: string;
  readonly tailLines?: number | undefined;
  readonly follow: boolean;
  /** With follow: true while the container may still write (its process runs, the pod exists). */
  readonly writing: () => boolean;
}

export async function streamLogFile(res: ServerResponse, options: LogStreamOptions): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  const first = await readFrom(options.file, 0);
  let offset = first.length;
  res.write(options.tailLines === undefined ? first : lastLines(first.toString('utf8'), options.tailLines));
  if (!options.follow) return void res.end();
  let closed = false;
  res.on('close', () => (closed = true));
  while (!closed) {
    await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
    const more = await readFrom(options.file, offset);
    offset += more.length;
    if (more.length > 0) res.write(more);
    if (!options.writing() && more.length === 0) break;
  }
  res.end();
}
