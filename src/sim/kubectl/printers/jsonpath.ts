// kubectl's JSONPath templates (`-o jsonpath='{.items[*].status.podIP}'`): fields, `[n]`, `[*]`,
// `[?(@.field=="value")]`, `{range ...}{end}`, quoted literals like `{"\n"}`. Missing keys print nothing
// (kubectl's --allow-missing-template-keys=true default).
import { KubectlError } from '../args.ts';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; field: string[]; op: '==' | '!='; value: string };

function parsePath(path: string, template: string): Step[] {
  const steps: Step[] = [];
  let i = path.startsWith('$') ? 1 : 0;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i++;
      let name = '';
      while (i < path.length && path[i] !== '.' && path[i] !== '[') {
        if (path[i] === '\\' && i + 1 < path.length) i++;
        name += path[i];
        i++;
      }
      if (name) steps.push({ kind: 'field', name });
    } else if (c === '[') {
      const end = path.indexOf(']', i);
      if (end < 0) throw new KubectlError(`error: error parsing jsonpath ${template}, unterminated array`);
      const inner = path.slice(i + 1, end);
      i = end + 1;
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$/.test(inner)) steps.push({ kind: 'field', name: inner.slice(1, -1) });
      else {
        const m = /^\?\(@((?:\.[\w-]+)+)\s*(==|!=)\s*["']?([^"']*)["']?\)$/.exec(inner);
        if (!m)
          throw new KubectlError(
            `error: error parsing jsonpath ${template}, unsupported expression [${inner}]`,
          );
        steps.push({
          kind: 'filter',
          field: (m[1] ?? '').slice(1).split('.'),
          op: m[2] as '==' | '!=',
          value: m[3] ?? '',
        });
      }
    } else
      throw new KubectlError(
        `error: error parsing jsonpath ${template}, unrecognized character in action: ${c}`,
      );
  }
  return steps;
}

function walk(values: unknown[], steps: Step[]): unknown[] {
  let current = values;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.kind === 'field') {
        if (v && typeof v === 'object' && !Array.isArray(v) && step.name in v)
          next.push((v as Record<string, unknown>)[step.name]);
      } else if (Array.isArray(v)) {
        if (step.kind === 'all') next.push(...v);
        else if (step.kind === 'index') {
          const item = v[step.index < 0 ? v.length + step.index : step.index];
          if (item !== undefined) next.push(item);
        } else
          for (const item of v) {
            let field: unknown = item;
            for (const f of step.field)
              field = field && typeof field === 'object' ? (field as Record<string, unknown>)[f] : undefined;
            if ((String(field) === step.value) === (step.op === '==')) next.push(item);
          }
      }
    }
    current = next;
  }
  return current;
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}

type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'path'; path: string }
  | { kind: 'range'; path: string }
  | { kind: 'end' };

function segments(template: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      out.push({ kind: 'text', text: template.slice(i) });
      break;
    }
    if (open > i) out.push({ kind: 'text', text: template.slice(i, open) });
    const close = template.indexOf('}', open);
    if (close < 0) throw new KubectlError(`error: error parsing jsonpath ${template}, unclosed action`);
    const action = template.slice(open + 1, close).trim();
    i = close + 1;
    if (action === 'end') out.push({ kind: 'end' });
    else if (action.startsWith('range ')) out.push({ kind: 'range', path: action.slice(6).trim() });
    else if (/^".*"$/s.test(action)) out.push({ kind: 'text', text: JSON.parse(action) as string });
    else if (/^'.*'$/s.test(action)) out.push({ kind: 'text', text: action.slice(1, -1) });
    else out.push({ kind: 'path', path: action });
  }
  return out;
}

function render(segs: Segment[], data: unknown, template: string): string {
  let out = '';
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    if (!seg) break;
    if (seg.kind === 'text') out += seg.text;
    else if (seg.kind === 'path') out += walk([data], parsePath(seg.path, template)).map(show).join(' ');
    else if (seg.kind === 'range') {
      let depth = 1;
      let j = i + 1;
      for (; j < segs.length; j++) {
        const s = segs[j];
        if (!s) break;
        if (s.kind === 'range') depth++;
        if (s.kind === 'end' && --depth === 0) break;
      }
      if (j >= segs.length)
        throw new KubectlError(`error: error parsing jsonpath ${template}, range without end`);
      const body = segs.slice(i + 1, j);
      for (const item of walk([data], parsePath(seg.path, template))) out += render(body, item, template);
      i = j;
    }
  }
  return out;
}

export function renderJsonPath(template: string, data: unknown): string {
  return render(segments(template), data, template);
}
