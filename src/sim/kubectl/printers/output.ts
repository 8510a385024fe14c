// `-o json|yaml|name|jsonpath=...` for one object or a list. Keys come out sorted, as kubectl prints
// unstructured objects; JSON is indented by 4 spaces like kubectl's JSON printer.
import { stringify } from 'yaml';
import type { ApiObject } from '../../model/types.ts';
import { KubectlError } from '../args.ts';
import { renderJsonPath } from './jsonpath.ts';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  return value;
}

export function asList(items: readonly ApiObject[]): Record<string, unknown> {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

export function isStructuredOutput(format: string | undefined): boolean {
  return format !== undefined && /^(json|yaml|name|jsonpath=|jsonpath$|custom-columns=)/.test(format);
}

export function formatStructured(format: string, data: unknown, names: () => string[]): string {
  if (format === 'json') return `${JSON.stringify(sortKeys(data), null, 4)}\n`;
  if (format === 'yaml')
    // kubectl (go-yaml) does not indent sequences under their key and quotes timestamp-like strings.
    return stringify(sortKeys(data), { lineWidth: 0, indentSeq: false }).replace(
      /^(\s*(?:- )?[\w./-]+: )(\d{4}-\d\d-\d\dT[\d:.]+Z)$/gm,
      '$1"$2"',
    );
  if (format === 'name')
    return names()
      .map((n) => `${n}\n`)
      .join('');
  if (format.startsWith('jsonpath=')) return renderJsonPath(format.slice('jsonpath='.length), sortKeys(data));
  if (format.startsWith('custom-columns=')) {
    const specs = format
      .slice('custom-columns='.length)
      .split(',')
      .map((c) => {
        const [header, path] = c.split(':');
        return { header: header ?? '', path: path ?? '' };
      });
    const items = (data as { items?: unknown[] }).items ?? [data];
    const rows = [
      specs.map((s) => s.header),
      ...items.map((item) => specs.map((s) => renderJsonPath(`{${s.path}}`, item) || '<none>')),
    ];
    const widths = specs.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
    return rows
      .map(
        (r) =>
          r.map((cell, i) => (i < r.length - 1 ? cell.padEnd((widths[i] ?? 0) + 3) : cell)).join('') + '\n',
      )
      .join('');
  }
  throw new KubectlError(
    `error: unable to match a printer suitable for the output format "${format}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`,
  );
}
