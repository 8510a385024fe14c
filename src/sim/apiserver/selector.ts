// Label selectors as `-l` and `?labelSelector=` take them: `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`.

/** A selector that does not parse; the message is the apiserver's (and kubectl's) wording. */
export class SelectorError extends Error {
  override readonly name = 'SelectorError';
}

export type LabelPredicate = (labels: Record<string, string> | undefined) => boolean;

export function parseSelector(text: string): LabelPredicate {
  const parts = text.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  const checks = parts.map((raw): LabelPredicate => {
    const part = raw.trim();
    let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m) {
      const values = (m[3] ?? '').split(',').map((v) => v.trim());
      const key = m[1] ?? '';
      return m[2] === 'in'
        ? (l) => values.includes(l?.[key] ?? '\u0000')
        : (l) => !values.includes(l?.[key] ?? '\u0000');
    }
    m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(part);
    if (m) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      return op === '!=' ? (l) => l?.[key] !== value : (l) => l?.[key] === value;
    }
    m = /^(!?)([\w./-]+)$/.exec(part);
    if (m) {
      const key = m[2] ?? '';
      return m[1] ? (l) => !(l && key in l) : (l) => !!l && key in l;
    }
    throw new SelectorError(
      `unable to parse requirement: found '${part}', expected: '=', '!=', '==', 'in', notin'`,
    );
  });
  return (labels) => checks.every((c) => c(labels));
}
