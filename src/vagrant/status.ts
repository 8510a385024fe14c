// `vagrant status --machine-readable` → the state of each machine.
import { parseMachineReadable } from './machine-readable.ts';

/** Vagrant state names seen across providers: running, poweroff, saved, aborted, not_created, shutoff (libvirt), ... */
export interface MachineStatus {
  readonly name: string;
  readonly state: string;
  readonly provider: string;
}

export function parseVagrantStatus(text: string): MachineStatus[] {
  const machines = new Map<string, { state?: string; provider?: string }>();
  for (const event of parseMachineReadable(text)) {
    if (!event.target) continue;
    const entry = machines.get(event.target) ?? {};
    if (event.type === 'state') entry.state = event.data[0];
    if (event.type === 'provider-name') entry.provider = event.data[0];
    machines.set(event.target, entry);
  }
  return [...machines].flatMap(([name, m]) =>
    m.state ? [{ name, state: m.state, provider: m.provider ?? 'unknown' }] : [],
  );
}

export function isRunning(status: MachineStatus): boolean {
  return status.state === 'running';
}
