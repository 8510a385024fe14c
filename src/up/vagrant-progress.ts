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
}

const PROVISIONER = /Running provisioner: ([\w.-]+)/;
// Every provision script logs `[labkit] STEP: text` (scripts/provision/lib.sh `log`); `error` is die's line.
const STEP = /\[labkit\] (?!error:)([a-z][\w-]*):/;

export class VagrantProgress {
  readonly machines = new Map<string, MachineProgress>();
  readonly globalErrors: string[] = [];

  constructor(names: readonly string[]) {
    for (const name of names) this.machines.set(name, { last: 'waiting', errors: [] });
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

  /** Machines that reported errors, with their last error lines. */
  failures(): { name: string; errors: string[]; provisioner?: string; step?: string }[] {
    return [...this.machines]
      .filter(([, m]) => m.errors.length > 0)
      .map(([name, m]) => ({
        name,
        errors: m.errors,
        ...(m.provisioner ? { provisioner: m.provisioner } : {}),
        ...(m.step ? { step: m.step } : {}),
      }));
  }
}
