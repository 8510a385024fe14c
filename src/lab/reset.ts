// `lab reset`: remove what the lab made (the lab's cleanup, then every step's cleanup, last step first) and
// forget its memory on this target. Every command runs even if one fails; each failure is reported.
import { executeCommand } from './operations/command.ts';
import { MissingMemoryError } from './template.ts';
import type { CommandRecord } from './results.ts';
import type { Session } from './session.ts';
import type { LabSpec } from './spec/types.ts';

export interface ResetOutcome {
  readonly ok: boolean;
  readonly lines: string[];
  readonly commands: CommandRecord[];
}

export async function resetLab(spec: LabSpec, session: Session): Promise<ResetOutcome> {
  const commands: CommandRecord[] = [];
  const lines: string[] = [];
  let ok = true;
  const all = [...spec.cleanup, ...[...spec.steps].reverse().flatMap((s) => s.cleanup)];
  for (const command of all) {
    try {
      const outcome = await executeCommand(command, session, 'cleanup', (r) => commands.push(r));
      const shown = outcome.result
        ? `${command.host}$ ${outcome.result.command}`
        : (command.title ?? 'command');
      lines.push(`${outcome.ok ? '✔' : '✖'} ${shown}${outcome.ok ? '' : `: ${outcome.actual}`}`);
      ok &&= outcome.ok;
    } catch (error) {
      if (!(error instanceof MissingMemoryError)) throw error;
      // A template whose memory key was never saved: nothing of that kind was made on this target.
      lines.push(`- skipped ${command.title ?? 'command'}: ${(error as Error).message}`);
    }
  }
  return { ok, lines, commands };
}
