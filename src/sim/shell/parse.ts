// Recursive-descent parser for the pod shell: lists (`;`, newlines, `&&`, `||`), pipelines, simple
// commands with assignments and redirections, for/while/until/if and `{ ...; }` / `( ... )` groups.
import type { AndOrNode, CommandNode, ListNode, PipelineNode, Redirect, SimpleNode, Word } from './ast.ts';
import { ShellSyntaxError, tokenize, type Token } from './lex.ts';

const RESERVED = new Set(['do', 'done', 'then', 'else', 'elif', 'fi', '}', 'in']);

function plainText(word: Word): string | undefined {
  return word.parts.every((p) => p.kind === 'lit' && !p.quoted)
    ? word.parts.map((p) => (p.kind === 'lit' ? p.text : '')).join('')
    : undefined;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos] ?? { t: 'eof' };
  }
  private next(): Token {
    const tok = this.peek();
    this.pos++;
    return tok;
  }
  private isKeyword(word: string): boolean {
    const tok = this.peek();
    return tok.t === 'word' && plainText(tok.word) === word;
  }
  private expectKeyword(word: string): void {
    if (!this.isKeyword(word))
      throw new ShellSyntaxError(`sh: syntax error: unexpected ${this.describe()} (expecting "${word}")`);
    this.pos++;
  }
  private describe(): string {
    const tok = this.peek();
    if (tok.t === 'eof') return 'end of file';
    if (tok.t === 'nl') return 'newline';
    if (tok.t === 'op') return `"${tok.v}"`;
    if (tok.t === 'word') return `"${tok.raw}"`;
    return 'redirection';
  }
  private skipNewlines(): void {
    while (this.peek().t === 'nl') this.pos++;
  }

  parseProgram(): ListNode {
    const list = this.parseList(new Set());
    if (this.peek().t !== 'eof')
      throw new ShellSyntaxError(`sh: syntax error: unexpected ${this.describe()}`);
    return list;
  }

  /** Items until a terminator keyword (done, fi, ...) or `)` or EOF. */
  private parseList(stop: Set<string>): ListNode {
    const items: AndOrNode[] = [];
    for (;;) {
      this.skipNewlines();
      const tok = this.peek();
      if (tok.t === 'eof' || (tok.t === 'op' && tok.v === ')')) break;
      if (tok.t === 'word') {
        const text = plainText(tok.word);
        if (text !== undefined && stop.has(text)) break;
      }
      items.push(this.parseAndOr());
      const sep = this.peek();
      if (sep.t === 'op' && (sep.v === ';' || sep.v === '&')) this.pos++;
      else if (sep.t === 'nl') this.pos++;
      else break;
    }
    return { items };
  }

  private parseAndOr(): AndOrNode {
    const first = this.parsePipeline();
    const rest: { op: '&&' | '||'; pipeline: PipelineNode }[] = [];
    for (;;) {
      const tok = this.peek();
      if (tok.t === 'op' && (tok.v === '&&' || tok.v === '||')) {
        this.pos++;
        this.skipNewlines();
        rest.push({ op: tok.v, pipeline: this.parsePipeline() });
      } else break;
    }
    return { first, rest };
  }

  private parsePipeline(): PipelineNode {
    let negate = false;
    if (this.isKeyword('!')) {
      negate = true;
      this.pos++;
    }
    const commands = [this.parseCommand()];
    for (;;) {
      const tok = this.peek();
      if (tok.t === 'op' && tok.v === '|') {
        this.pos++;
        this.skipNewlines();
        commands.push(this.parseCommand());
      } else break;
    }
    return { negate, commands };
  }

  private parseCommand(): CommandNode {
    const tok = this.peek();
    if (tok.t === 'op' && tok.v === '(') {
      this.pos++;
      const body = this.parseList(new Set());
      const close = this.next();
      if (close.t !== 'op' || close.v !== ')') throw new ShellSyntaxError('sh: syntax error: missing )');
      return { type: 'group', body };
    }
    if (tok.t === 'word') {
      const text = plainText(tok.word);
      if (text === 'for') return this.parseFor();
      if (text === 'while' || text === 'until') return this.parseWhile(text === 'until');
      if (text === 'if') return this.parseIf();
      if (text === '{') {
        this.pos++;
        const body = this.parseList(new Set(['}']));
        this.expectKeyword('}');
        return { type: 'group', body };
      }
      if (text !== undefined && RESERVED.has(text))
        throw new ShellSyntaxError(`sh: syntax error: unexpected "${text}"`);
    }
    return this.parseSimple();
  }

  private parseFor(): CommandNode {
    this.pos++;
    const nameTok = this.next();
    const name = nameTok.t === 'word' ? plainText(nameTok.word) : undefined;
    if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new ShellSyntaxError('sh: syntax error: bad for loop variable');
    const items: Word[] = [];
    this.skipNewlines();
    if (this.isKeyword('in')) {
      this.pos++;
      for (;;) {
        const tok = this.peek();
        if (tok.t !== 'word') break;
        items.push(tok.word);
        this.pos++;
      }
    }
    const sep = this.peek();
    if (sep.t === 'op' && sep.v === ';') this.pos++;
    this.skipNewlines();
    this.expectKeyword('do');
    const body = this.parseList(new Set(['done']));
    this.expectKeyword('done');
    return { type: 'for', name, items, body };
  }

  private parseWhile(until: boolean): CommandNode {
    this.pos++;
    const cond = this.parseList(new Set(['do']));
    this.expectKeyword('do');
    const body = this.parseList(new Set(['done']));
    this.expectKeyword('done');
    return { type: 'while', until, cond, body };
  }

  private parseIf(): CommandNode {
    this.pos++;
    const branches: { cond: ListNode; body: ListNode }[] = [];
    let elseBody: ListNode | undefined;
    const cond = this.parseList(new Set(['then']));
    this.expectKeyword('then');
    branches.push({ cond, body: this.parseList(new Set(['elif', 'else', 'fi'])) });
    for (;;) {
      if (this.isKeyword('elif')) {
        this.pos++;
        const c = this.parseList(new Set(['then']));
        this.expectKeyword('then');
        branches.push({ cond: c, body: this.parseList(new Set(['elif', 'else', 'fi'])) });
      } else if (this.isKeyword('else')) {
        this.pos++;
        elseBody = this.parseList(new Set(['fi']));
      } else break;
    }
    this.expectKeyword('fi');
    return { type: 'if', branches, ...(elseBody ? { elseBody } : {}) };
  }

  private parseSimple(): SimpleNode {
    const assigns: { name: string; value: Word }[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const tok = this.peek();
      if (tok.t === 'redir') {
        this.pos++;
        const target = this.next();
        if (target.t !== 'word')
          throw new ShellSyntaxError(`sh: syntax error: unexpected ${this.describe()}`);
        redirects.push({ fd: tok.fd, op: tok.op, target: target.word });
        continue;
      }
      if (tok.t !== 'word') break;
      const first = tok.word.parts[0];
      const m =
        words.length === 0 && first?.kind === 'lit' && !first.quoted
          ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text)
          : null;
      if (m) {
        const rest = first?.kind === 'lit' ? first.text.slice(m[0].length) : '';
        const parts = [
          ...(rest ? [{ kind: 'lit' as const, text: rest, quoted: false }] : []),
          ...tok.word.parts.slice(1),
        ];
        assigns.push({ name: m[1] ?? '', value: { parts } });
        this.pos++;
        continue;
      }
      words.push(tok.word);
      this.pos++;
    }
    if (words.length === 0 && assigns.length === 0 && redirects.length === 0)
      throw new ShellSyntaxError(`sh: syntax error: unexpected ${this.describe()}`);
    return { type: 'simple', assigns, words, redirects };
  }
}

export function parseScript(source: string): ListNode {
  return new Parser(tokenize(source, parseScript)).parseProgram();
}
