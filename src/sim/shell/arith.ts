// $(( ... )): integer arithmetic with variables, + - * / % and comparisons, as busybox sh evaluates it.
export function evaluateArithmetic(expr: string, lookup: (name: string) => string): number {
  const tokens = expr.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|==|!=|<=|>=|&&|\|\||[-+*/%()<>!]/g) ?? [];
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const value = (name: string): number => {
    const text = lookup(name).trim();
    return text === '' ? 0 : Number.parseInt(text, 10) || 0;
  };
  const primary = (): number => {
    const tok = tokens[pos++];
    if (tok === undefined) throw new Error(`sh: arithmetic syntax error`);
    if (tok === '(') {
      const v = orExpr();
      pos++;
      return v;
    }
    if (tok === '-') return -primary();
    if (tok === '+') return primary();
    if (tok === '!') return primary() ? 0 : 1;
    if (/^\d+$/.test(tok)) return Number(tok);
    return value(tok);
  };
  const binary =
    (next: () => number, ops: Record<string, (a: number, b: number) => number>) => (): number => {
      let left = next();
      for (let op = peek(); op !== undefined && op in ops; op = peek()) {
        pos++;
        const apply = ops[op];
        if (!apply) break;
        left = apply(left, next());
      }
      return left;
    };
  const mul = binary(primary, {
    '*': (a, b) => a * b,
    '/': (a, b) => Math.trunc(a / b),
    '%': (a, b) => a % b,
  });
  const add = binary(mul, { '+': (a, b) => a + b, '-': (a, b) => a - b });
  const cmp = binary(add, {
    '<': (a, b) => +(a < b),
    '>': (a, b) => +(a > b),
    '<=': (a, b) => +(a <= b),
    '>=': (a, b) => +(a >= b),
  });
  const eq = binary(cmp, { '==': (a, b) => +(a === b), '!=': (a, b) => +(a !== b) });
  const andExpr = binary(eq, { '&&': (a, b) => +(!!a && !!b) });
  const orExpr = binary(andExpr, { '||': (a, b) => +(!!a || !!b) });
  return orExpr();
}
