// Runs a parsed script in a simulated pod: variables, expansions with field splitting, pipelines (each
// stage runs to completion, then feeds the next), `&&`/`||`, loops, redirections to /dev/null and to an
// in-memory file system. Output of the outermost commands is written as soon as each finishes, so a
// long loop streams like a real `kubectl exec`.
import type { AndOrNode, CommandNode, ListNode, Part, PipelineNode, SimpleNode, Word } from './ast.ts';
import { evaluateArithmetic } from './arith.ts';
import { parseScript } from './parse.ts';
import { ShellSyntaxError } from './lex.ts';
import type { PodContext } from './pod-context.ts';

export interface Sink {
  write(text: string): void;
}

export class BufferSink implements Sink {
  text = '';
  write(text: string): void {
    this.text += text;
  }
}

export interface CommandIo {
  readonly stdin: string;
  readonly out: Sink;
  readonly err: Sink;
}

export type CommandFn = (args: string[], io: CommandIo, session: ShellSession) => Promise<number>;

export class ExitSignal {
  constructor(readonly code: number) {}
}

/** Loops stop after this many iterations: a runaway `while true` cannot spin forever inside kubectl. */
const MAX_ITERATIONS = 100_000;

/** Commands whose `name=value` arguments are expanded like assignments (no field splitting). */
const DECLARATION_UTILITIES = new Set(['export', 'local', 'readonly']);

export class ShellSession {
  readonly vars = new Map<string, string>();
  readonly exported = new Set<string>();
  readonly files = new Map<string, string>();
  status = 0;
  /** Simulated time that `sleep` has added to this session (ms). */
  virtualMs = 0;
  /** Wall-clock ms after which the script is cut off (background pod commands that never end). */
  deadline = Number.POSITIVE_INFINITY;
  /** Simulated ms after which the script is cut off (a detached pod's loop that sleeps forever). */
  virtualDeadline = Number.POSITIVE_INFINITY;
  /** Set when a deadline cut the script off. */
  cutOff = false;

  constructor(
    readonly pod: PodContext,
    readonly commands: Readonly<Record<string, CommandFn>>,
  ) {
    for (const [k, v] of pod.env) {
      this.vars.set(k, v);
      this.exported.add(k);
    }
    this.vars.set('PWD', '/');
    this.vars.set('HOME', this.vars.get('HOME') ?? '/root');
    this.exported.add('HOME');
    this.vars.set('SHLVL', '1');
    this.exported.add('SHLVL');
    this.exported.add('PWD');
  }

  /** Parses and runs `source`; returns the exit status. Syntax errors print like busybox sh (status 2). */
  async runScript(source: string, io: CommandIo): Promise<number> {
    let list: ListNode;
    try {
      list = parseScript(source);
    } catch (error) {
      if (error instanceof ShellSyntaxError) {
        io.err.write(`${error.message}\n`);
        return 2;
      }
      throw error;
    }
    try {
      return await this.runList(list, io);
    } catch (error) {
      if (error instanceof ExitSignal) return error.code;
      throw error;
    }
  }

  environment(): [string, string][] {
    return [...this.exported].filter((k) => this.vars.has(k)).map((k) => [k, this.vars.get(k) ?? '']);
  }

  async runList(list: ListNode, io: CommandIo): Promise<number> {
    for (const item of list.items) this.status = await this.runAndOr(item, io);
    return this.status;
  }

  private async runAndOr(node: AndOrNode, io: CommandIo): Promise<number> {
    let status = await this.runPipeline(node.first, io);
    for (const { op, pipeline } of node.rest) {
      if ((op === '&&' && status === 0) || (op === '||' && status !== 0))
        status = await this.runPipeline(pipeline, io);
    }
    return status;
  }

  private async runPipeline(node: PipelineNode, io: CommandIo): Promise<number> {
    if (Date.now() > this.deadline || this.virtualMs > this.virtualDeadline) {
      this.cutOff = true;
      throw new ExitSignal(0);
    }
    let stdin = io.stdin;
    let status = 0;
    for (let i = 0; i < node.commands.length; i++) {
      const last = i === node.commands.length - 1;
      const out = last ? io.out : new BufferSink();
      const command = node.commands[i];
      if (!command) break;
      status = await this.runCommand(command, { stdin, out, err: io.err });
      if (!last) stdin = (out as BufferSink).text;
    }
    this.status = node.negate ? (status === 0 ? 1 : 0) : status;
    return this.status;
  }

  private async runCommand(node: CommandNode, io: CommandIo): Promise<number> {
    switch (node.type) {
      case 'simple':
        return this.runSimple(node, io);
      case 'group':
        return this.runList(node.body, io);
      case 'if': {
        for (const branch of node.branches)
          if ((await this.runList(branch.cond, { ...io, out: io.out })) === 0)
            return this.runList(branch.body, io);
        return node.elseBody ? this.runList(node.elseBody, io) : 0;
      }
      case 'for': {
        const items = node.items.length ? await this.expandWords(node.items) : this.positional();
        let status = 0;
        for (const item of items) {
          this.vars.set(node.name, item);
          status = await this.runList(node.body, io);
        }
        return status;
      }
      case 'while': {
        let status = 0;
        for (let n = 0; n < MAX_ITERATIONS; n++) {
          const cond = await this.runList(node.cond, io);
          if ((cond === 0) === node.until) return status;
          status = await this.runList(node.body, io);
        }
        io.err.write(`sh: loop stopped after ${MAX_ITERATIONS} iterations (simulator limit)\n`);
        return 1;
      }
    }
  }

  private positional(): string[] {
    return [];
  }

  private async runSimple(node: SimpleNode, io: CommandIo): Promise<number> {
    const argv = await this.expandArguments(node.words);
    const assigned: [string, string][] = [];
    // POSIX: the value of an assignment is not field-split (`v=$(printf 'p  q')` keeps both spaces).
    for (const a of node.assigns) assigned.push([a.name, await this.expandUnsplit(a.value)]);
    if (argv.length === 0) {
      for (const [k, v] of assigned) this.vars.set(k, v);
      return 0;
    }
    let stdin = io.stdin;
    let out: Sink = io.out;
    let err: Sink = io.err;
    const writes: { file: string; sink: BufferSink; append: boolean }[] = [];
    for (const r of node.redirects) {
      const target = await this.expandUnsplit(r.target);
      if (r.op === '<') {
        const text = this.readFile(target);
        if (text === undefined) {
          io.err.write(`sh: can't open '${target}': No such file or directory\n`);
          return 1;
        }
        stdin = text;
      } else if (r.op === '>&') {
        const to = target === '1' ? io.out : target === '2' ? io.err : undefined;
        if (!to) {
          io.err.write(`sh: ${target}: bad file descriptor\n`);
          return 1;
        }
        if (r.fd === 2) err = r.fd === 2 && target === '1' ? out : to;
        else out = to;
      } else {
        const sink = target === '/dev/null' ? new BufferSink() : new BufferSink();
        if (target !== '/dev/null') writes.push({ file: target, sink, append: r.op === '>>' });
        if (r.fd === 2) err = sink;
        else out = sink;
      }
    }
    const name = argv[0] ?? '';
    const saved = new Map<string, string | undefined>();
    for (const [k, v] of assigned) {
      saved.set(k, this.vars.get(k));
      this.vars.set(k, v);
    }
    let status: number;
    try {
      status = await this.invoke(name, argv.slice(1), { stdin, out, err });
    } finally {
      for (const [k, v] of saved)
        if (v === undefined) this.vars.delete(k);
        else this.vars.set(k, v);
    }
    for (const w of writes)
      this.files.set(w.file, (w.append ? (this.files.get(w.file) ?? '') : '') + w.sink.text);
    this.status = status;
    return status;
  }

  private async invoke(name: string, args: string[], io: CommandIo): Promise<number> {
    const base = name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name;
    const fn = this.commands[base];
    if (!fn) {
      io.err.write(`sh: ${name}: not found\n`);
      return 127;
    }
    return fn(args, io, this);
  }

  readFile(path: string): string | undefined {
    return this.files.get(path) ?? this.pod.files[path];
  }

  async expandWords(words: readonly Word[]): Promise<string[]> {
    const out: string[] = [];
    for (const w of words) out.push(...(await this.expandWord(w)));
    return out;
  }

  /** Arguments of a simple command. For the declaration utilities (`export x=$(cmd)`) an argument that
   *  looks like an assignment is expanded like one, without field splitting, as bash, dash and POSIX.1-2024
   *  do. */
  private async expandArguments(words: readonly Word[]): Promise<string[]> {
    const first = words[0]?.parts;
    const head = first?.length === 1 && first[0]?.kind === 'lit' && !first[0].quoted ? first[0].text : '';
    if (!DECLARATION_UTILITIES.has(head)) return this.expandWords(words);
    const out = [head];
    for (const w of words.slice(1)) {
      const lead = w.parts[0];
      if (lead?.kind === 'lit' && !lead.quoted && /^[A-Za-z_][A-Za-z0-9_]*=/.test(lead.text))
        out.push(await this.expandUnsplit(w));
      else out.push(...(await this.expandWord(w)));
    }
    return out;
  }

  /** Expands a word to one string without field splitting (assignment values, redirection targets). */
  async expandUnsplit(word: Word): Promise<string> {
    let text = '';
    for (const part of word.parts) text += await this.partValue(part);
    return text;
  }

  private async partValue(part: Part): Promise<string> {
    switch (part.kind) {
      case 'lit':
        return part.text;
      case 'var': {
        const value = this.variable(part.name);
        return value === '' && part.fallback ? this.expandUnsplit(part.fallback) : value;
      }
      case 'arith':
        return String(evaluateArithmetic(part.expr, (n) => this.variable(n)));
      case 'cmd': {
        const buffer = new BufferSink();
        const saved = this.status;
        await this.runList(part.list, { stdin: '', out: buffer, err: new BufferSink() });
        this.status = saved;
        return buffer.text.replace(/\n+$/, '');
      }
    }
  }

  private variable(name: string): string {
    if (name === '?') return String(this.status);
    if (name === '$') return '1';
    if (name === '#') return '0';
    if (name === '0') return 'sh';
    return this.vars.get(name) ?? '';
  }

  /** Expands one word into fields: unquoted expansions are split on whitespace, quoted ones are not. */
  async expandWord(word: Word): Promise<string[]> {
    const fields: string[] = [];
    let current = '';
    let open = false;
    for (const part of word.parts) {
      const value = await this.partValue(part);
      if (part.kind === 'lit' || part.quoted) {
        current += value;
        open = true;
        continue;
      }
      const pieces = value.split(/[ \t\n]+/);
      pieces.forEach((piece, i) => {
        if (i > 0) {
          if (open) fields.push(current);
          current = '';
          open = false;
        }
        if (piece) {
          current += piece;
          open = true;
        }
      });
    }
    if (open) fields.push(current);
    return fields;
  }
}
