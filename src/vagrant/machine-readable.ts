// Vagrant's --machine-readable output: one event per line, `timestamp,target,type,data...`, with commas in
// data escaped as `%!(VAGRANT_COMMA)` and newlines as `\n`.

export interface VagrantEvent {
  readonly timestamp: number;
  /** Machine name, or '' for global events. */
  readonly target: string;
  readonly type: string;
  readonly data: readonly string[];
}

function unescape(field: string): string {
  return field.replaceAll('%!(VAGRANT_COMMA)', ',').replaceAll('\\n', '\n').replaceAll('\\r', '\r');
}

export function parseMachineReadableLine(line: string): VagrantEvent | undefined {
  const parts = line.replace(/\r$/, '').split(',');
  const [ts, target, type, ...data] = parts;
  if (ts === undefined || target === undefined || type === undefined || !/^\d+$/.test(ts)) return undefined;
  return { timestamp: Number(ts), target, type, data: data.map(unescape) };
}

export function parseMachineReadable(text: string): VagrantEvent[] {
  return text.split('\n').flatMap((line) => {
    const event = parseMachineReadableLine(line);
    return event ? [event] : [];
  });
}
