// Summarises VM lane timings (timings.jsonl of one or more runs) as a Markdown table for docs/benchmarks.md.
// usage: npx tsx test/vm/timings.ts RUN1/timings.jsonl [RUN2/timings.jsonl ...]
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const lineSchema = z.object({ step: z.string(), ms: z.number() }).loose();

const byStep = new Map<string, number[]>();
for (const file of process.argv.slice(2)) {
  for (const [i, line] of (await readFile(file, 'utf8')).split('\n').entries()) {
    if (!line.trim()) continue;
    const parsed = lineSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${file}:${i + 1}: not a timing line (${parsed.error.message})`);
    byStep.set(parsed.data.step, [...(byStep.get(parsed.data.step) ?? []), parsed.data.ms]);
  }
}
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(1)} ms`);
const rows = [...byStep].map(([step, values]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `| ${step} | ${values.length} | ${fmt(sorted[0] ?? 0)} | ${fmt(median)} | ${fmt(sorted.at(-1) ?? 0)} |`;
});
process.stdout.write(
  ['| step | runs | min | median | max |', '|---|---|---|---|---|', ...rows].join('\n') + '\n',
);
