// The last lines a failed provisioning script printed, stderr (its error) first, for a phase's message.
import type { ExecResult } from '../ssh/types.ts';

export function outputTail(result: Pick<ExecResult, 'stdout' | 'stderr'>, lines = 5): string {
  return [result.stderr, result.stdout]
    .flatMap((text) => text.split('\n'))
    .filter((line) => line.trim() !== '')
    .slice(-lines)
    .join('\n');
}
