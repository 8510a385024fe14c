// Reads lab:up's closing summary (src/up/run.ts formatSummary): one row per phase with its status and time.
export interface PhaseRow {
  readonly phase: string;
  readonly status: string;
  readonly ms: number;
  readonly detail: string;
}

/** "850 ms", "12.3 s", "2 min 3 s" → milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(?:(\d+) min (\d+) s|([\d.]+) s|(\d+) ms)$/.exec(text.trim());
  if (!m) return undefined;
  if (m[1] !== undefined) return (Number(m[1]) * 60 + Number(m[2])) * 1000;
  if (m[3] !== undefined) return Math.round(Number(m[3]) * 1000);
  return Number(m[4]);
}

export function parseUpSummary(stdout: string): PhaseRow[] {
  const rows: PhaseRow[] = [];
  for (const line of stdout.split('\n')) {
    const m =
      /^ {2}([a-z]+) +(done|skipped|failed) +((?:\d+ min \d+ s)|(?:[\d.]+ s)|(?:\d+ ms)) {2}(.*)$/.exec(line);
    const ms = m?.[3] === undefined ? undefined : parseDuration(m[3]);
    if (m?.[1] && m[2] && ms !== undefined) rows.push({ phase: m[1], status: m[2], ms, detail: m[4] ?? '' });
  }
  return rows;
}
