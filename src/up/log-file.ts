// Append-only log files under .lab/logs, one per lab:up phase, that failure messages point to.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

export interface LogFile {
  readonly path: string;
  /** Path as shown to the user (relative to the project when inside it). */
  readonly display: string;
  write(line: string): void;
  close(): Promise<void>;
}

export async function openLog(stateDir: string, projectDir: string, name: string): Promise<LogFile> {
  const dir = join(stateDir, 'logs');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.log`);
  const stream: WriteStream = createWriteStream(path, { flags: 'a' });
  stream.write(`\n--- ${new Date().toISOString()} ---\n`);
  const rel = relative(projectDir, path);
  return {
    path,
    display: rel.startsWith('..') ? path : rel,
    write: (line) => stream.write(line.endsWith('\n') ? line : `${line}\n`),
    close: () => new Promise((resolve) => stream.end(resolve)),
  };
}
