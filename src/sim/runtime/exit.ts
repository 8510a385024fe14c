// A child process's end as a ProcessExit, once its output streams have ended too (PodProcess.exit).
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { ProcessExit } from '../apiserver/streams/types.ts';
import { exitOf } from './proc.ts';

export function exitFromChild(child: ChildProcess): Promise<ProcessExit> {
  return new Promise((resolve) => {
    child.on('error', () => resolve({ code: 126 }));
    // 'close' comes after 'exit' and after stdout/stderr ended.
    child.on('close', (code, signal) => {
      if (signal !== null) resolve({ code: 128 + (constants.signals[signal] ?? 9), signal });
      else resolve(exitOf(code ?? 0));
    });
  });
}
