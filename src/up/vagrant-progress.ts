// Follows `vagrant up --machine-readable` events: the latest line per machine for the progress display,
// the error lines per machine for the failure message, and a human-readable log.
import { parseMachineReadableLine } from '../vagrant/machine-readable.ts';

export interface MachineProgress {
  last: string;
  errors: string[];
  /** The provisioner running (`common`, `master`), from Vagrant's "Running provisioner: NAME (shell)...". */
  provisioner?: string;
  /** The provisioning step the scripts announced last (`[labkit] STEP: ...`, e.g. sysctl, packages). */
  step?: string;
  /** Lines that explain a failure (apt's errors, the scripts' `[labkit] error:`), latest last. Vagrant shows a
   *  provisioner's stderr at the same `detail` level as its stdout, so these are found by their text. */
  trouble: string[];
}

export interface MachineFailure {
  readonly name: string;
  readonly errors: string[];
  readonly provisioner?: string;
  readonly step?: string;
}

const PROVISIONER = /Running provisioner: ([\w.-]+)/;
// Every provision script logs `[labkit] STEP: text` (scripts/provision/lib.sh `log`); `error` is die's line.
const STEP = /\[labkit\] (?!error:)([a-z][\w-]*):/;
const TROUBLE =
  /(\[labkit\] error:|^E: |Failed to fetch|Could not (connect|resolve)|Temporary failure resolving|Connection (refused|timed out)|curl: \(\d+\))/;

export class VagrantProgress {
  readonly machines = new Map<string, MachineProgress>();
  readonly globalErrors: string[] = [];
  /** The machine that printed last: the one a sequential `vagrant provision` stopped on. */
  private lastTarget: string | undefined;

  constructor(names: readonly string[]) {
    for (const name of names) this.machines.set(name, { last: 'waiting', errors: [], trouble: [] });
  }

  /** Feeds one output line; returns its human-readable form for the log (undefined to skip). */
  feed(line: string): string | undefined {
    const event = parseMachineReadableLine(line);
    if (!event) return line;
    const text = (event.type === 'ui' ? event.data.slice(1) : event.data).join(',').trim();
    const machine = event.target ? this.machines.get(event.target) : undefined;
    if (event.type === 'error-exit') {
      // data: [error class, message]
      const message = event.data.slice(1).join(',').trim() || text;
      (machine?.errors ?? this.globalErrors).push(message);
      return `ERROR ${event.target ? `${event.target}: ` : ''}${message}`;
    }
    if (event.type !== 'ui') return undefined;
    const level = event.data[0] ?? 'info';
    if (!text) return undefined;
    if (machine) {
      const firstLine = text.split('\n').find((l) => l.trim()) ?? text;
      // Vagrant prefixes machine lines with `==> name: ` or `    name: `; the display already names the machine.
      machine.last = firstLine
        .trim()
        .replace(`==> ${event.target}: `, '')
        .replace(new RegExp(`^${event.target}: `), '');
      this.lastTarget = event.target;
      for (const line of text.split('\n')) {
        const bare = line
          .trim()
          .replace(new RegExp(`^(==> )?${event.target}: `), '')
          .trim();
        if (TROUBLE.test(bare)) machine.trouble.push(bare);
      }
      const provisioner = PROVISIONER.exec(text)?.[1];
      if (provisioner) {
        machine.provisioner = provisioner;
        delete machine.step;
      }
      const step = STEP.exec(text)?.[1];
      if (step) machine.step = step;
      if (level === 'error') machine.errors.push(text);
    } else if (level === 'error') this.globalErrors.push(text);
    return event.target ? `[${event.target}] ${text}` : text;
  }

  render(): string {
    return [...this.machines].map(([name, m]) => `${name}: ${m.last}`).join('\n');
  }

  /** Machines that reported errors, with their last error lines; when vagrant marked no line as an error
   *  (a provisioner's stderr is shown as plain output), the machine that printed last, with the lines that
   *  explain the failure: the first cause (e.g. apt's "Failed to fetch") and the last error. */
  failures(): MachineFailure[] {
    const marked = [...this.machines].filter(([, m]) => m.errors.length > 0);
    const last = this.lastTarget ? this.machines.get(this.lastTarget) : undefined;
    const picked: [string, MachineProgress, string[]][] =
      marked.length > 0
        ? marked.map(([name, m]) => [name, m, m.errors])
        : last && this.lastTarget
          ? [[this.lastTarget, last, explain(last)]]
          : [];
    return picked.map(([name, m, errors]) => ({
      name,
      errors,
      ...(m.provisioner ? { provisioner: m.provisioner } : {}),
      ...(m.step ? { step: m.step } : {}),
    }));
  }
}

function explain(m: MachineProgress): string[] {
  // apt's "Failed to fetch URL  reason" names the repository; prefer it as the cause.
  const first = m.trouble.find((l) => l.includes('Failed to fetch')) ?? m.trouble[0];
  const lastLine = m.trouble.at(-1);
  if (first === undefined || lastLine === undefined) return [m.last];
  return [first === lastLine ? first : `${first}\n${lastLine}`];
}
