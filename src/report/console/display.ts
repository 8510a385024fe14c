// Live progress for `lab check|solve`: listr2 in a terminal, plain lines when not a TTY or CI=true (listr2's
// own rule of one renderer per output mode). Both consume the runner's events; neither builds results.
import { Listr } from 'listr2';
import type { RunEvent } from '../../lab/results.ts';
import { checkLine, failureLines, stepLines, summaryLines } from './format.ts';

export interface Display {
  onEvent(event: RunEvent): void;
  /** Resolves once everything is printed. */
  finish(): Promise<void>;
}

export function isInteractive(
  env: NodeJS.ProcessEnv = process.env,
  isTTY = Boolean(process.stdout.isTTY),
): boolean {
  return isTTY && env['CI'] !== 'true' && env['CI'] !== '1';
}

/** One line per event; the form CI logs and tests read. */
export function createPlainDisplay(write: (text: string) => void): Display {
  return {
    onEvent(event) {
      switch (event.type) {
        case 'lab-start':
          write(
            `lab ${event.lab}: ${event.mode} on ${event.target} (${event.steps.length} step${event.steps.length === 1 ? '' : 's'})\n`,
          );
          break;
        case 'step-start':
          write(`[${event.index}] ${event.id}: ${event.title}\n`);
          break;
        case 'check-retry':
          if (event.attempt === 1 || event.attempt % 5 === 0)
            write(
              `    … ${event.check}: retrying (${event.attempt}): ${event.actual.split('\n')[0] ?? ''}\n`,
            );
          break;
        case 'check-end':
          write(`    ${checkLine(event.result)}\n`);
          break;
        case 'step-end':
          write(`${stepLines(event.result).join('\n')}\n`);
          break;
        case 'lab-end':
          write(`\n${summaryLines(event.result).join('\n')}\n`);
          break;
        case 'command':
          break;
      }
    },
    finish: () => Promise.resolve(),
  };
}

interface Deferred {
  resolve: (failure?: string) => void;
  promise: Promise<string | undefined>;
  output?: (text: string) => void;
}

function deferred(): Deferred {
  let resolve: (failure?: string) => void = () => undefined;
  const promise = new Promise<string | undefined>((r) => (resolve = r));
  return { resolve, promise };
}

/** A listr2 task per step, resolved by the runner's events; details and the summary printed at the end. */
export function createListrDisplay(write: (text: string) => void): Display {
  const steps = new Map<number, Deferred>();
  let running: Promise<unknown> = Promise.resolve();
  const after: string[] = [];
  return {
    onEvent(event) {
      if (event.type === 'lab-start') {
        write(`lab ${event.lab}: ${event.mode} on ${event.target}\n`);
        for (const s of event.steps) steps.set(s.index, deferred());
        const list = new Listr(
          event.steps.map((s) => ({
            title: `${s.index} ${s.id}: ${s.title}`,
            task: async (
              _ctx: unknown,
              task: { output: string; title: string; skip: (m?: string) => void },
            ) => {
              const d = steps.get(s.index);
              if (!d) return;
              d.output = (text) => (task.output = text);
              const failure = await d.promise;
              if (failure === 'skip') return task.skip(`${s.index} ${s.id}: skipped`);
              if (failure !== undefined) throw new Error(failure);
            },
          })),
          { concurrent: false, exitOnError: false, rendererOptions: { collapseErrors: false } },
        );
        running = list.run().catch(() => undefined);
      } else if (event.type === 'check-retry') {
        steps
          .get(event.index)
          ?.output?.(`${event.check}: retrying (${event.attempt}): ${event.actual.split('\n')[0] ?? ''}`);
      } else if (event.type === 'check-end') {
        steps.get(event.index)?.output?.(checkLine(event.result));
      } else if (event.type === 'step-end') {
        const r = event.result;
        if (r.status !== 'pass' && r.status !== 'skip') after.push(...failureLines(r), '');
        else if (r.status === 'pass') after.push(...stepLines(r).slice(1));
        steps
          .get(r.index)
          ?.resolve(
            r.status === 'pass' ? undefined : r.status === 'skip' ? 'skip' : r.message.split('\n')[0],
          );
      } else if (event.type === 'lab-end') {
        after.push('', ...summaryLines(event.result));
      }
    },
    async finish() {
      await running;
      write(`${after.join('\n')}\n`);
    },
  };
}
