// Text tools as busybox implements them, for the pipes labs use: echo, printf, cat, grep, sort, uniq,
// wc, head, tail, seq, cut, tr.
import type { CommandFn, CommandIo, ShellSession } from '../session.ts';

function lines(text: string): string[] {
  if (text === '') return [];
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

function unescapeEcho(text: string): string {
  return text.replace(/\\(n|t|\\|0[0-7]{0,3}|c)/g, (_, c: string) =>
    c === 'n'
      ? '\n'
      : c === 't'
        ? '\t'
        : c === '\\'
          ? '\\'
          : c === 'c'
            ? ''
            : String.fromCharCode(parseInt(c, 8)),
  );
}

const echo: CommandFn = async (args, io) => {
  let newline = true;
  let escapes = false;
  while (args[0] && /^-[neE]+$/.test(args[0])) {
    const flag = args.shift() ?? '';
    if (flag.includes('n')) newline = false;
    if (flag.includes('e')) escapes = true;
  }
  const text = args.join(' ');
  io.out.write((escapes ? unescapeEcho(text) : text) + (newline ? '\n' : ''));
  return 0;
};

const printf: CommandFn = async (args, io) => {
  const format = args.shift();
  if (format === undefined) {
    io.err.write('printf: usage: printf FORMAT [ARG]...\n');
    return 1;
  }
  let out = '';
  do {
    let used = 0;
    out += unescapeEcho(format).replace(/%(-?\d*)([sdx%])/g, (_, width: string, conv: string) => {
      if (conv === '%') return '%';
      const arg = args[used++] ?? '';
      const text =
        conv === 'd'
          ? String(Number.parseInt(arg, 10) || 0)
          : conv === 'x'
            ? (Number.parseInt(arg, 10) || 0).toString(16)
            : arg;
      const w = Number(width);
      return width.startsWith('-') ? text.padEnd(-w) : text.padStart(w);
    });
    args = args.slice(used);
    if (used === 0) break;
  } while (args.length > 0);
  io.out.write(out);
  return 0;
};

function readInputs(
  files: string[],
  io: CommandIo,
  session: ShellSession,
  tool: string,
): { text: string; name: string }[] | number {
  if (files.length === 0 || (files.length === 1 && files[0] === '-'))
    return [{ text: io.stdin, name: '(standard input)' }];
  const out: { text: string; name: string }[] = [];
  for (const f of files) {
    const text = f === '-' ? io.stdin : session.readFile(f);
    if (text === undefined) {
      io.err.write(`${tool}: ${f}: No such file or directory\n`);
      return 2;
    }
    out.push({ text, name: f });
  }
  return out;
}

const cat: CommandFn = async (args, io, session) => {
  let status = 0;
  const files = args.filter((a) => a !== '-u');
  if (files.length === 0) io.out.write(io.stdin);
  for (const f of files) {
    const text = f === '-' ? io.stdin : session.readFile(f);
    if (text === undefined) {
      io.err.write(`cat: can't open '${f}': No such file or directory\n`);
      status = 1;
    } else io.out.write(text);
  }
  return status;
};

/** Basic regular expressions → JavaScript: `\(`, `\|`, `\{` are the operators, bare ones are literal. */
function breToJs(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\' && i + 1 < pattern.length) {
      const n = pattern[++i] ?? '';
      out += '(){}|+?'.includes(n) ? n : `\\${n}`;
    } else out += '(){}|+?'.includes(c) ? `\\${c}` : c;
  }
  return out;
}

const grep: CommandFn = async (args, io, session) => {
  const opts = {
    o: false,
    c: false,
    v: false,
    E: false,
    i: false,
    q: false,
    w: false,
    n: false,
    F: false,
    h: false,
  };
  const patterns: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-e') patterns.push(args[++i] ?? '');
    else if (a === '--') {
      files.push(...args.slice(i + 1));
      i = args.length;
    } else if (/^-[ocvEiqwnFh]+$/.test(a)) for (const f of a.slice(1)) opts[f as keyof typeof opts] = true;
    else if (a.startsWith('-') && a.length > 1) {
      io.err.write(
        `grep: unrecognized option '${a}'\nBusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n`,
      );
      return 2;
    } else if (patterns.length === 0 && !args.includes('-e')) patterns.push(a);
    else files.push(a);
  }
  if (patterns.length === 0) {
    io.err.write(
      'Usage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n',
    );
    return 2;
  }
  let regex: RegExp;
  try {
    const sources = patterns.map((p) =>
      opts.F ? p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : opts.E ? p : breToJs(p),
    );
    const body = sources.map((s) => (opts.w ? `\\b(?:${s})\\b` : `(?:${s})`)).join('|');
    regex = new RegExp(body, opts.i ? 'gi' : 'g');
  } catch {
    io.err.write(`grep: bad regex '${patterns[0]}'\n`);
    return 2;
  }
  const inputs = readInputs(files, io, session, 'grep');
  if (typeof inputs === 'number') return inputs;
  let matched = 0;
  for (const input of inputs) {
    const prefix = inputs.length > 1 && !opts.h ? `${input.name}:` : '';
    let count = 0;
    lines(input.text).forEach((line, index) => {
      regex.lastIndex = 0;
      const hit = regex.test(line);
      if (hit === opts.v) return;
      count++;
      if (opts.q || opts.c) return;
      const num = opts.n ? `${index + 1}:` : '';
      if (opts.o && !opts.v) {
        regex.lastIndex = 0;
        for (const m of line.matchAll(regex)) if (m[0]) io.out.write(`${prefix}${num}${m[0]}\n`);
      } else io.out.write(`${prefix}${num}${line}\n`);
    });
    if (opts.c && !opts.q) io.out.write(`${prefix}${count}\n`);
    matched += count;
  }
  return matched > 0 ? 0 : 1;
};

const sort: CommandFn = async (args, io, session) => {
  const flags = new Set(args.filter((a) => /^-[nrub]+$/.test(a)).flatMap((a) => [...a.slice(1)]));
  const inputs = readInputs(
    args.filter((a) => !a.startsWith('-')),
    io,
    session,
    'sort',
  );
  if (typeof inputs === 'number') return inputs;
  let all = inputs.flatMap((i) => lines(i.text));
  all.sort(
    flags.has('n')
      ? (a, b) => (parseFloat(a) || 0) - (parseFloat(b) || 0) || (a < b ? -1 : a > b ? 1 : 0)
      : (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  );
  if (flags.has('r')) all.reverse();
  if (flags.has('u')) all = all.filter((l, i) => i === 0 || l !== all[i - 1]);
  io.out.write(all.map((l) => `${l}\n`).join(''));
  return 0;
};

const uniq: CommandFn = async (args, io, session) => {
  const count = args.includes('-c');
  const inputs = readInputs(
    args.filter((a) => !a.startsWith('-')),
    io,
    session,
    'uniq',
  );
  if (typeof inputs === 'number') return inputs;
  const all = inputs.flatMap((i) => lines(i.text));
  let prev: string | undefined;
  let n = 0;
  const emit = (): void => {
    if (prev !== undefined) io.out.write(count ? `${String(n).padStart(7)} ${prev}\n` : `${prev}\n`);
  };
  for (const line of all) {
    if (line === prev) n++;
    else {
      emit();
      prev = line;
      n = 1;
    }
  }
  emit();
  return 0;
};

const wc: CommandFn = async (args, io, session) => {
  const flags = args.filter((a) => a.startsWith('-') && a !== '-').join('');
  const inputs = readInputs(
    args.filter((a) => !a.startsWith('-') || a === '-'),
    io,
    session,
    'wc',
  );
  if (typeof inputs === 'number') return inputs;
  for (const input of inputs) {
    const counts: number[] = [];
    const want = flags === '' ? 'lwc' : flags;
    if (want.includes('l')) counts.push((input.text.match(/\n/g) ?? []).length);
    if (want.includes('w')) counts.push(input.text.split(/\s+/).filter(Boolean).length);
    if (want.includes('c')) counts.push(Buffer.byteLength(input.text));
    const name = args.some((a) => !a.startsWith('-')) ? ` ${input.name}` : '';
    io.out.write(
      counts.length === 1
        ? `${counts[0]}${name}\n`
        : `${counts.map((c) => String(c).padStart(7)).join(' ')}${name}\n`,
    );
  }
  return 0;
};

function countArg(args: string[]): { n: number; fromStart: boolean; files: string[] } {
  let n = 10;
  let fromStart = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-n') {
      const v = args[++i] ?? '10';
      fromStart = v.startsWith('+');
      n = Math.abs(Number.parseInt(v, 10));
    } else if (/^-n?\d+$/.test(a)) n = Number(a.replace(/^-n?/, ''));
    else files.push(a);
  }
  return { n, fromStart, files };
}

const head: CommandFn = async (args, io, session) => {
  const { n, files } = countArg(args);
  const inputs = readInputs(files, io, session, 'head');
  if (typeof inputs === 'number') return inputs;
  for (const i of inputs)
    io.out.write(
      lines(i.text)
        .slice(0, n)
        .map((l) => `${l}\n`)
        .join(''),
    );
  return 0;
};

const tail: CommandFn = async (args, io, session) => {
  const { n, fromStart, files } = countArg(args);
  const inputs = readInputs(files, io, session, 'tail');
  if (typeof inputs === 'number') return inputs;
  for (const i of inputs) {
    const all = lines(i.text);
    io.out.write(
      (fromStart ? all.slice(Math.max(0, n - 1)) : all.slice(Math.max(0, all.length - n)))
        .map((l) => `${l}\n`)
        .join(''),
    );
  }
  return 0;
};

const seq: CommandFn = async (args, io) => {
  const nums = args.filter((a) => !/^-[sw]/.test(a)).map(Number);
  if (nums.length === 0 || nums.some((n) => Number.isNaN(n))) {
    io.err.write(
      nums.length === 0
        ? 'Usage: seq [-w] [-s SEP] [FIRST [INC]] LAST\n'
        : `seq: invalid number '${args.find((a) => Number.isNaN(Number(a)))}'\n`,
    );
    return 1;
  }
  const [first, inc, last] =
    nums.length === 1
      ? [1, 1, nums[0] ?? 0]
      : nums.length === 2
        ? [nums[0] ?? 0, 1, nums[1] ?? 0]
        : [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0];
  let out = '';
  if (inc !== 0) for (let v = first; inc > 0 ? v <= last : v >= last; v += inc) out += `${v}\n`;
  io.out.write(out);
  return 0;
};

const cut: CommandFn = async (args, io, session) => {
  let delim = '\t';
  let fields: number[] = [];
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-d') delim = args[++i] ?? '\t';
    else if (a.startsWith('-d')) delim = a.slice(2);
    else if (a === '-f') fields = (args[++i] ?? '').split(',').map(Number);
    else if (a.startsWith('-f')) fields = a.slice(2).split(',').map(Number);
    else files.push(a);
  }
  const inputs = readInputs(files, io, session, 'cut');
  if (typeof inputs === 'number') return inputs;
  for (const i of inputs)
    for (const line of lines(i.text)) {
      const parts = line.split(delim);
      io.out.write(`${parts.length === 1 ? line : fields.map((f) => parts[f - 1] ?? '').join(delim)}\n`);
    }
  return 0;
};

function expandSet(set: string): string {
  return set.replace(/(.)-(.)/g, (_, a: string, b: string) => {
    let out = '';
    for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) out += String.fromCharCode(c);
    return out;
  });
}

const tr: CommandFn = async (args, io) => {
  if (args[0] === '-d' && args[1] !== undefined) {
    const del = new Set(expandSet(args[1]));
    io.out.write([...io.stdin].filter((c) => !del.has(c)).join(''));
    return 0;
  }
  const from = expandSet(args[0] ?? '');
  const to = expandSet(args[1] ?? '');
  io.out.write(
    [...io.stdin]
      .map((c) => (from.includes(c) ? (to[Math.min(from.indexOf(c), to.length - 1)] ?? c) : c))
      .join(''),
  );
  return 0;
};

export const textCommands: Record<string, CommandFn> = {
  echo,
  printf,
  cat,
  grep,
  sort,
  uniq,
  wc,
  head,
  tail,
  seq,
  cut,
  tr,
};
