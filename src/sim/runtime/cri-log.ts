// The CRI container log format the shim (shim.py) writes and the kubelet reads (kuberuntime/logs):
//   2016-10-06T00:17:09.669794202Z stdout P log content 1
//   2016-10-06T00:17:09.669794203Z stderr F log content 2
// F: a full line (its text ends with the newline); P: a part of a line, whose file newline is not the
// container's. Parsed as upstream's parseCRILog does; a line that does not parse is skipped, as there.

export type LogStream = 'stdout' | 'stderr';

export interface CriEntry {
  /** The timestamp as written (RFC 3339 with up to 9 fraction digits). */
  readonly time: string;
  readonly stream: LogStream;
  readonly partial: boolean;
  /** The container's bytes: with the newline for F, without for P. */
  readonly content: Buffer;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;

/** One file line (with or without its newline); undefined when it is not a CRI line. */
export function parseCriLine(line: Buffer): CriEntry | undefined {
  const a = line.indexOf(SPACE);
  if (a < 0) return undefined;
  const time = line.subarray(0, a).toString('latin1');
  if (!TIME.test(time)) return undefined;
  const b = line.indexOf(SPACE, a + 1);
  if (b < 0) return undefined;
  const stream = line.subarray(a + 1, b).toString('latin1');
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const c = line.indexOf(SPACE, b + 1);
  if (c < 0) return undefined;
  // Forward compatible, as upstream: only the first of ':'-separated tags is read.
  const partial =
    line
      .subarray(b + 1, c)
      .toString('latin1')
      .split(':')[0] === 'P';
  let content = line.subarray(c + 1);
  if (partial && content.at(-1) === NEWLINE) content = content.subarray(0, -1);
  return { time, stream, partial, content };
}

/** Nanoseconds since the epoch of a CRI timestamp (bigint: JS dates stop at milliseconds). */
export function criTimeNs(time: string): bigint {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!match) return 0n;
  const seconds = BigInt(Date.parse(`${match[1] ?? ''}${match[3] ?? 'Z'}`)) / 1000n;
  return seconds * 1_000_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/** Upstream's timeFormatOut ("2006-01-02T15:04:05.000000000Z07:00"): always nine fraction digits. */
export function formatCriTime(time: string): string {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!match) return time;
  return `${match[1] ?? ''}.${(match[2] ?? '').padEnd(9, '0')}${match[3] ?? 'Z'}`;
}

/** Cuts a byte stream into whole file lines; what follows the last newline waits for more bytes. */
export class CriLineSplitter {
  private rest: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): CriEntry[] {
    const data = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    const out: CriEntry[] = [];
    let start = 0;
    for (let end = data.indexOf(NEWLINE); end >= 0; end = data.indexOf(NEWLINE, start)) {
      const entry = parseCriLine(data.subarray(start, end + 1));
      if (entry) out.push(entry);
      start = end + 1;
    }
    this.rest = Buffer.from(data.subarray(start));
    return out;
  }

  /** The last line, if the writer ended without its newline (upstream reads it too). */
  end(): CriEntry[] {
    const rest = this.rest;
    this.rest = Buffer.alloc(0);
    const entry = rest.length > 0 ? parseCriLine(rest) : undefined;
    return entry ? [entry] : [];
  }
}

/** Every entry of a whole log file. */
export function parseCriLog(data: Buffer): CriEntry[] {
  const splitter = new CriLineSplitter();
  return [...splitter.push(data), ...splitter.end()];
}

/** What the container wrote, both streams in order (what `kubectl logs` shows). */
export function logText(data: Buffer, stream?: LogStream): Buffer {
  return Buffer.concat(
    parseCriLog(data)
      .filter((e) => stream === undefined || e.stream === stream)
      .map((e) => e.content),
  );
}
