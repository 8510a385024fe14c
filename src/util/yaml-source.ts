// Parse a YAML file and validate it with a zod schema, keeping line numbers so every problem can be
// reported as `file:line key: reason` (the form editors and CI logs make clickable).
import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';

export interface SourceProblem {
  readonly file: string;
  /** 1-based; 0 when the problem has no location (e.g. the file is unreadable). */
  readonly line: number;
  /** Dotted key path such as `nodes[1].ip`; empty for the whole document. */
  readonly key: string;
  readonly reason: string;
}

export function formatProblem(p: SourceProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}` : p.file;
  return p.key ? `${where} ${p.key}: ${p.reason}` : `${where}: ${p.reason}`;
}

/** Thrown when a file cannot be read, parsed or validated; carries every problem found. */
export class SourceError extends Error {
  constructor(readonly problems: readonly SourceProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'SourceError';
  }
}

export type PathSegment = string | number;

export function formatKeyPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

/** Finds the line of the deepest node that exists along `path`; for a missing key, its parent's line. */
export function lineOfPath(doc: Document, counter: LineCounter, path: readonly PathSegment[]): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyOf(item.key) === String(seg));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item: unknown = node.items[seg];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(node) ?? offset;
    } else break;
  }
  return offset === undefined ? 1 : counter.linePos(offset).line;
}

function keyOf(key: unknown): string | undefined {
  if (key && typeof key === 'object' && 'value' in key) return String((key as { value: unknown }).value);
  return typeof key === 'string' ? key : undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

/** Error map for zod parses of user files: a missing key says so instead of "expected string, received undefined". */
export const friendlyIssues: z.core.$ZodErrorMap = (issue) =>
  issue.input === undefined && issue.code !== 'custom' ? 'required key is missing' : undefined;

/** Maps zod issues to problems with lines; unknown keys get one problem per key, at that key. */
export function problemsFromIssues(
  file: string,
  doc: Document,
  counter: LineCounter,
  issues: readonly z.core.$ZodIssue[],
): SourceProblem[] {
  const problems: SourceProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const full = [...path, key];
        problems.push({
          file,
          line: lineOfPath(doc, counter, full),
          key: formatKeyPath(full),
          reason: 'unknown key (check the spelling; see the JSON Schema for allowed keys)',
        });
      }
      continue;
    }
    problems.push({
      file,
      line: lineOfPath(doc, counter, path),
      key: formatKeyPath(path),
      reason: issue.message,
    });
  }
  return problems.sort((a, b) => a.line - b.line);
}

export interface YamlSource {
  readonly file: string;
  readonly doc: Document;
  readonly counter: LineCounter;
  /** The document as plain JS data, to hand to a schema. */
  readonly data: unknown;
}

/** Parses YAML keeping positions; syntax errors (and duplicate keys) throw SourceError with lines. */
export function parseYamlSource(file: string, text: string): YamlSource {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SourceError(
      doc.errors.map((e) => ({
        file,
        line: counter.linePos(e.pos[0]).line,
        key: '',
        reason: `invalid YAML: ${e.message.split('\n')[0] ?? e.code}`,
      })),
    );
  }
  return { file, doc, counter, data: doc.toJS() };
}

/** Parses YAML text and validates it; returns the typed value or throws SourceError with every problem. */
export function parseYamlWith<T>(file: string, text: string, schema: z.ZodType<T>): T {
  const source = parseYamlSource(file, text);
  const result = schema.safeParse(source.data, { error: friendlyIssues });
  if (!result.success)
    throw new SourceError(problemsFromIssues(file, source.doc, source.counter, result.error.issues));
  return result.data;
}

/** Reads a file as text; a missing or unreadable file becomes a SourceError saying what to do. */
export async function readSourceFile(file: string, missingHint: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? `file not found: ${missingHint}`
        : `cannot read the file (${code ?? String(error)})`;
    throw new SourceError([{ file, line: 0, key: '', reason }]);
  }
}

export async function loadYamlFile<T>(file: string, schema: z.ZodType<T>, missingHint: string): Promise<T> {
  return parseYamlWith(file, await readSourceFile(file, missingHint), schema);
}
