// `kubectl logs` (incl. `-f`, `--tail`, `--previous`, `--timestamps`, `--since`, `--since-time`,
// `--limit-bytes`) on the simulated kube-apiserver: the container's CRI log as the runtime's shim wrote it
// (the kubelet knows which attempt's file), read as the kubelet's ReadLogs does (kuberuntime/logs/logs.go):
// the last N file lines, lines older than `since` skipped, each line's stream tag dropped (both streams go
// to the one response), a timestamp before each new line with `timestamps`, cut at `limitBytes`; with
// follow, whatever is appended until the container stops.
import { open } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { CriLineSplitter, criTimeNs, formatCriTime, type CriEntry } from '../runtime/cri-log.ts';

const FOLLOW_POLL_MS = 100;

export interface LogOptions {
  readonly tailLines?: number | undefined;
  readonly limitBytes?: number | undefined;
  /** Lines stamped before this (ns since the epoch) are skipped. */
  readonly sinceNs?: bigint | undefined;
  readonly timestamps?: boolean | undefined;
}

export interface LogStreamOptions extends LogOptions {
  readonly file: string;
  readonly follow: boolean;
  /** With follow: true while the container may still write (its process runs, the pod exists). */
  readonly writing: () => boolean;
}

/** PodLogOptions from the query, as the kubelet reads them (sinceTime wins when it is later). */
export function logOptionsFromQuery(q: URLSearchParams, nowMs: number): LogOptions {
  const int = (key: string): number | undefined => {
    const v = q.get(key);
    return v === null || !/^-?\d+$/.test(v) ? undefined : Number(v);
  };
  const sinceSeconds = int('sinceSeconds');
  const sinceTime = q.get('sinceTime');
  let sinceNs: bigint | undefined;
  if (sinceSeconds !== undefined) sinceNs = BigInt(nowMs - sinceSeconds * 1000) * 1_000_000n;
  if (sinceTime !== null) {
    const t = criTimeNs(sinceTime);
    if (sinceNs === undefined || t > sinceNs) sinceNs = t;
  }
  return {
    tailLines: int('tailLines'),
    limitBytes: int('limitBytes'),
    sinceNs,
    timestamps: q.get('timestamps') === 'true',
  };
}

/** Offset of the start of the last `n` lines (upstream's FindTailLineStartIndex; an unfinished last line
 *  is not counted). */
export function tailStart(data: Buffer, n: number | undefined): number {
  if (n === undefined || n < 0) return 0;
  // Back from the end to the (n+1)th newline: after it start the last n whole lines (and the unfinished one).
  let seen = 0;
  for (let i = data.lastIndexOf(0x0a); i >= 0; i = i === 0 ? -1 : data.lastIndexOf(0x0a, i - 1)) {
    if (seen === n) return i + 1;
    seen++;
  }
  return 0;
}

/** Writes log entries as ReadLogs' logWriter does; false once limitBytes is used up. */
export class LogWriter {
  private remain: number;
  private newLine = true;

  constructor(
    private readonly options: LogOptions,
    private readonly out: (data: Buffer) => void,
  ) {
    this.remain = options.limitBytes !== undefined && options.limitBytes >= 0 ? options.limitBytes : Infinity;
  }

  write(entry: CriEntry): boolean {
    const startsLine = this.newLine;
    this.newLine = entry.content.length === 0 || entry.content.at(-1) === 0x0a; // upstream's isNewLine
    if (this.options.sinceNs !== undefined && criTimeNs(entry.time) < this.options.sinceNs) return true;
    let line = entry.content;
    // One timestamp per line of the container's, also when its parts came as several P entries.
    if (this.options.timestamps && startsLine)
      line = Buffer.concat([Buffer.from(`${formatCriTime(entry.time)} `), line]);
    if (line.length > this.remain) line = line.subarray(0, this.remain);
    this.remain -= line.length;
    if (line.length > 0) this.out(line);
    return this.remain > 0;
  }
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

export async function streamLogFile(res: ServerResponse, options: LogStreamOptions): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  const first = await readFrom(options.file, 0);
  let offset = first.length;
  const writer = new LogWriter(options, (data) => res.write(data));
  const splitter = new CriLineSplitter();
  const feed = (entries: CriEntry[]): boolean => entries.every((e) => writer.write(e));
  if (!feed(splitter.push(first.subarray(tailStart(first, options.tailLines))))) return void res.end();
  if (!options.follow) {
    feed(splitter.end());
    return void res.end();
  }
  let closed = false;
  res.on('close', () => (closed = true));
  while (!closed) {
    await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
    const more = await readFrom(options.file, offset);
    offset += more.length;
    if (!feed(splitter.push(more))) break;
    if (!options.writing() && more.length === 0) {
      feed(splitter.end());
      break;
    }
  }
  res.end();
}
