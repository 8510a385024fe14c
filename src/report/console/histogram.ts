// A terminal histogram of counts per name (e.g. which pod answered how many requests), scaled to a width.
export function renderHistogram(counts: Readonly<Record<string, number>>, width = 30): string[] {
  const entries = Object.entries(counts);
  if (entries.length === 0) return [];
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const label = Math.max(...entries.map(([name]) => name.length));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return entries.map(([name, n]) => {
    const bar = '█'.repeat(Math.round((n / max) * width)) || (n > 0 ? '▏' : '');
    const pct = total > 0 ? ` (${Math.round((n / total) * 100)}%)` : '';
    return `${name.padEnd(label)} │${bar} ${n}${pct}`;
  });
}

/** Numbers by name when `observed.counts` (or `observed.spread`) is such a record; else undefined. */
export function countsFromObserved(
  observed: Readonly<Record<string, unknown>> | undefined,
): Record<string, number> | undefined {
  for (const key of ['counts', 'spread']) {
    const value = observed?.[key];
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const entries = Object.entries(value);
      if (entries.length > 0 && entries.every(([, n]) => typeof n === 'number'))
        return Object.fromEntries(entries) as Record<string, number>;
    }
  }
  return undefined;
}
