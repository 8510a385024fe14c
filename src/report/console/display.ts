// Live progress for `lab check|solve`: listr2 in a terminal, plain lines when not a TTY or CI=true (listr2's
// own rule of one renderer per output mode). Both consume the runner's events; neither builds results.
import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import { t } from '../../i18n/index.ts';
import type { RunEvent } from '../../lab/results.ts';
import { checkLine, failureLines, histogramLines, stepLines, summaryLines } from './format.ts';

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
          write(`${t().run.labStart(event.lab, event.mode, event.target, event.steps.length)}\n`);
          break;
        case 'step-start':
          write(`[${event.index}] ${event.id}: ${event.title}\n`);
          break;
        case 'check-retry':
          if (event.attempt === 1 || event.attempt % 5 === 0)
            write(
              `    … ${t().run.retrying(event.check, event.attempt, event.actual.split('\n')[0] ?? '')}\n`,
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

/** One step's task: resolved by its step-end event; `show` sets the text under it. Events may come before listr2
 *  starts the task (the runner does not wait for the display), so the latest text is kept until it attaches. */
interface Deferred {
  resolve: (failure?: string) => void;
  promise: Promise<string | undefined>;
  show: (text: string) => void;
  attach: (output: (text: string) => void) => void;
}

function deferred(): Deferred {
  let resolve: (failure?: string) => void = () => undefined;
  const promise = new Promise<string | undefined>((r) => (resolve = r));
  let output: ((text: string) => void) | undefined;
  let latest: string | undefined;
  return {
    resolve,
    promise,
    show(text) {
      latest = text;
      output?.(text);
    },
    attach(o) {
      output = o;
      if (latest !== undefined) o(latest);
    },
  };
}

export interface ListrDisplayOptions {
  /** Where listr2 draws its live tree (default: the process's stdout, through listr2's own renderer choice).
   *  A stream given here always gets the TTY renderer, so tests can read what a terminal shows. */
  readonly terminal?: NodeJS.WriteStream;
}

/** A listr2 task per step, resolved by the runner's events. A passed step keeps its histograms under it in the
 *  tree; a failed step's details (with its histograms) and the summary are printed after the tree. */
export function createListrDisplay(
  write: (text: string) => void,
  options: ListrDisplayOptions = {},
): Display {
  const steps = new Map<number, Deferred>();
  let running: Promise<unknown> = Promise.resolve();
  const after: string[] = [];
  const terminal = options.terminal;
  return {
    onEvent(event) {
      if (event.type === 'lab-start') {
        write(`${t().run.labStartShort(event.lab, event.mode, event.target)}\n`);
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
              d.attach((text) => (task.output = text));
              const failure = await d.promise;
              if (failure === 'skip') return task.skip(t().run.skipped(`${s.index} ${s.id}`));
              if (failure !== undefined) throw new Error(failure);
            },
            // The last output stays under the finished task: the step-end event sets it to the histograms (or
            // to nothing, so no stale progress line remains).
            rendererOptions: { persistentOutput: true },
          })),
          {
            concurrent: false,
            exitOnError: false,
            rendererOptions: {
              collapseErrors: false,
              ...(terminal
                ? { logger: new ListrLogger({ processOutput: new ProcessOutput(terminal, terminal) }) }
                : {}),
            },
            ...(terminal ? { renderer: 'default' as const, forceTTY: true } : {}),
          },
        );
        running = list.run().catch(() => undefined);
      } else if (event.type === 'check-retry') {
        steps
          .get(event.index)
          ?.show(t().run.retrying(event.check, event.attempt, event.actual.split('\n')[0] ?? ''));
      } else if (event.type === 'check-end') {
        steps.get(event.index)?.show(checkLine(event.result));
      } else if (event.type === 'step-end') {
        const r = event.result;
        const d = steps.get(r.index);
        d?.show(r.status === 'pass' ? histogramLines(r).join('\n') : '');
        if (r.status !== 'pass' && r.status !== 'skip') after.push(...failureLines(r), '');
        d?.resolve(r.status === 'pass' ? undefined : r.status === 'skip' ? 'skip' : r.message.split('\n')[0]);
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
