// Tokens of the pod shell: words (kept as parts so quoting decides field splitting later), operators,
// redirections with their file descriptor, newlines. `$(...)`, backquotes and `$((...))` are cut out here
// and parsed recursively.
import type { ListNode, Part, Word } from './ast.ts';

export type Token =
  | { readonly t: 'word'; readonly word: Word; readonly raw: string }
  | { readonly t: 'op'; readonly v: string }
  | { readonly t: 'redir'; readonly fd: number; readonly op: '>' | '>>' | '<' | '>&' }
  | { readonly t: 'nl' }
  | { readonly t: 'eof' };

export class ShellSyntaxError extends Error {}

type ParseList = (source: string) => ListNode;

/** Index just after the `)` that closes the `(` before `start`, skipping quotes. */
function matchParen(src: string, start: number, open = '(', close = ')'): number {
  let depth = 1;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) break;
      i = end;
    } else if (c === '"') {
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\') i++;
        i++;
      }
    } else if (c === open) depth++;
    else if (c === close && --depth === 0) return i + 1;
  }
  throw new ShellSyntaxError(`syntax error: unterminated ${open}`);
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Reads a `$...` expansion at src[i] (which is `$`); returns the part and the next index. */
function readDollar(src: string, i: number, quoted: boolean, parseList: ParseList): [Part, number] {
  const next = src[i + 1];
  if (next === '(' && src[i + 2] === '(') {
    const end = matchParen(src, i + 3);
    if (src[end] !== ')') throw new ShellSyntaxError('syntax error: bad arithmetic');
    return [{ kind: 'arith', expr: src.slice(i + 3, end - 1), quoted }, end + 1];
  }
  if (next === '(') {
    const end = matchParen(src, i + 2);
    return [{ kind: 'cmd', list: parseList(src.slice(i + 2, end - 1)), quoted }, end];
  }
  if (next === '{') {
    const end = src.indexOf('}', i + 2);
    if (end < 0) throw new ShellSyntaxError('syntax error: bad substitution');
    const body = src.slice(i + 2, end);
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[?#$0-9])(?::?-(.*))?$/s.exec(body);
    if (!m) throw new ShellSyntaxError(`sh: syntax error: bad substitution`);
    const fallback =
      m[2] !== undefined ? { parts: [{ kind: 'lit' as const, text: m[2], quoted: true }] } : undefined;
    return [{ kind: 'var', name: m[1] ?? '', quoted, ...(fallback ? { fallback } : {}) }, end + 1];
  }
  if (next !== undefined && /[?#$0-9!@*]/.test(next)) return [{ kind: 'var', name: next, quoted }, i + 2];
  const m = NAME.exec(src.slice(i + 1));
  if (m) return [{ kind: 'var', name: m[0], quoted }, i + 1 + m[0].length];
  return [{ kind: 'lit', text: '$', quoted }, i + 1];
}

/** `cmd` from the backquote at `i`: the command substitution part and the index after the closing quote. */
function readBackquoted(src: string, i: number, quoted: boolean, parseList: ParseList): [Part, number] {
  const end = src.indexOf('`', i + 1);
  if (end < 0) throw new ShellSyntaxError('sh: syntax error: unterminated `');
  return [{ kind: 'cmd', list: parseList(src.slice(i + 1, end)), quoted }, end + 1];
}

export function tokenize(src: string, parseList: ParseList): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\n') {
      tokens.push({ t: 'nl' });
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === ';;') {
      tokens.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if (c === ';' || c === '|' || c === '&' || c === '(' || c === ')') {
      tokens.push({ t: 'op', v: c });
      i++;
      continue;
    }
    if (c === '>' || c === '<') {
      i = readRedirect(src, i, 0, tokens) ?? i + 1;
      continue;
    }
    // A word: read until an unquoted metacharacter.
    const parts: Part[] = [];
    let lit = '';
    const start = i;
    const flush = (): void => {
      if (lit) parts.push({ kind: 'lit', text: lit, quoted: false });
      lit = '';
    };
    while (i < src.length && !/[\s;&|()<>]/.test(src[i] ?? ' ')) {
      const ch = src[i] ?? '';
      if (ch === '\\') {
        flush();
        if (i + 1 < src.length) parts.push({ kind: 'lit', text: src[i + 1] ?? '', quoted: true });
        i += 2;
      } else if (ch === "'") {
        flush();
        const end = src.indexOf("'", i + 1);
        if (end < 0) throw new ShellSyntaxError('sh: syntax error: unterminated quoted string');
        parts.push({ kind: 'lit', text: src.slice(i + 1, end), quoted: true });
        i = end + 1;
      } else if (ch === '"') {
        flush();
        i = readDoubleQuoted(src, i + 1, parts, parseList);
      } else if (ch === '$') {
        flush();
        const [part, next] = readDollar(src, i, false, parseList);
        parts.push(part);
        i = next;
      } else if (ch === '`') {
        flush();
        const [part, next] = readBackquoted(src, i, false, parseList);
        parts.push(part);
        i = next;
      } else {
        lit += ch;
        i++;
      }
    }
    flush();
    const raw = src.slice(start, i);
    // `2>file`, `2>&1`: a number directly before a redirection is its file descriptor.
    if (/^\d$/.test(raw) && (src[i] === '>' || src[i] === '<')) {
      i = readRedirect(src, i, Number(raw), tokens) ?? i;
      continue;
    }
    tokens.push({ t: 'word', word: { parts }, raw });
  }
  tokens.push({ t: 'eof' });
  return tokens;
}

function readRedirect(src: string, i: number, fd: number, tokens: Token[]): number | undefined {
  const c = src[i];
  if (c === '>' && src[i + 1] === '>') {
    tokens.push({ t: 'redir', fd: fd || 1, op: '>>' });
    return i + 2;
  }
  if (c === '>' && src[i + 1] === '&') {
    tokens.push({ t: 'redir', fd: fd || 1, op: '>&' });
    return i + 2;
  }
  if (c === '>') {
    tokens.push({ t: 'redir', fd: fd || 1, op: '>' });
    return i + 1;
  }
  if (c === '<') {
    tokens.push({ t: 'redir', fd, op: '<' });
    return i + 1;
  }
  return undefined;
}

function readDoubleQuoted(src: string, i: number, parts: Part[], parseList: ParseList): number {
  let lit = '';
  const flush = (): void => {
    parts.push({ kind: 'lit', text: lit, quoted: true });
    lit = '';
  };
  while (i < src.length && src[i] !== '"') {
    const ch = src[i] ?? '';
    if (ch === '\\' && i + 1 < src.length && '$`"\\\n'.includes(src[i + 1] ?? '')) {
      if (src[i + 1] !== '\n') lit += src[i + 1];
      i += 2;
    } else if (ch === '$') {
      flush();
      const [part, next] = readDollar(src, i, true, parseList);
      parts.push(part);
      i = next;
    } else if (ch === '`') {
      flush();
      const [part, next] = readBackquoted(src, i, true, parseList);
      parts.push(part);
      i = next;
    } else {
      lit += ch;
      i++;
    }
  }
  if (i >= src.length) throw new ShellSyntaxError('sh: syntax error: unterminated quoted string');
  flush();
  return i + 1;
}
