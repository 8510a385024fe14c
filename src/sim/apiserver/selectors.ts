// ?labelSelector= and ?fieldSelector= on lists and watches.
import type { ApiObject } from '../model/types.ts';
import { StatusError } from './status.ts';
import { parseSelector, SelectorError, type LabelPredicate } from './selector.ts';

export type ObjectPredicate = (o: ApiObject) => boolean;

export function labelFilter(text: string | null): ObjectPredicate {
  if (!text) return () => true;
  let predicate: LabelPredicate;
  try {
    predicate = parseSelector(text);
  } catch (error) {
    if (error instanceof SelectorError) throw new StatusError('BadRequest', error.message);
    throw error;
  }
  return (o) => predicate(o.metadata.labels);
}

function fieldValue(o: unknown, path: string): string {
  let at: unknown = o;
  for (const part of path.split('.'))
    at = at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
  return at === undefined || at === null ? '' : String(at);
}

/** `metadata.name=x,status.phase!=Running` (fields kube-apiserver supports for the lab's kinds). */
export function fieldFilter(text: string | null): ObjectPredicate {
  if (!text) return () => true;
  const checks = text.split(',').map((part) => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(part.trim());
    if (!m) throw new StatusError('BadRequest', `invalid selector: '${text}'; can't understand '${part}'`);
    const [, path = '', op, value = ''] = m;
    return (o: ApiObject): boolean => (fieldValue(o, path) === value) !== (op === '!=');
  });
  return (o) => checks.every((c) => c(o));
}
