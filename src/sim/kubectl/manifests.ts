// Reading manifests for apply/delete -f: a file, a directory (its .yaml/.yml/.json files, sorted), or `-`
// (stdin); multi-document YAML and `kind: List`. Parse errors are worded as kubectl words them.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubectlError } from './args.ts';
import type { KubectlIo } from './context.ts';

export interface ManifestDoc {
  readonly source: string;
  readonly doc: Record<string, unknown>;
}

async function filesOf(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new KubectlError(`error: the path "${path}" does not exist`);
  }
  if (!info.isDirectory()) return [path];
  const entries = (await readdir(path)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  return entries.map((f) => join(path, f));
}

function parseText(text: string, source: string): ManifestDoc[] {
  const out: ManifestDoc[] = [];
  for (const document of parseAllDocuments(text)) {
    if ('errors' in document && document.errors.length > 0) {
      const e = document.errors[0];
      if (!e) continue;
      const line = e.linePos?.[0]?.line;
      throw new KubectlError(
        `error: error parsing ${source}: error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${e.message.split('\n')[0]}`,
      );
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value))
      throw new KubectlError(
        `error: error validating "${source}": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false`,
      );
    const doc = value as Record<string, unknown>;
    if (doc['kind'] === 'List' && Array.isArray(doc['items']))
      for (const item of doc['items']) out.push({ source, doc: item as Record<string, unknown> });
    else out.push({ source, doc });
  }
  return out;
}

export async function readManifests(filenames: readonly string[], io: KubectlIo): Promise<ManifestDoc[]> {
  if (filenames.length === 0) throw new KubectlError('error: must specify one of -f and -k');
  const docs: ManifestDoc[] = [];
  for (const name of filenames) {
    if (name === '-') {
      docs.push(...parseText(await io.readStdin(), 'STDIN'));
      continue;
    }
    if (/^https?:\/\//.test(name))
      throw new KubectlError(`error: unable to read URL "${name}": the testbed has no internet access`);
    for (const file of await filesOf(name)) docs.push(...parseText(await readFile(file, 'utf8'), file));
  }
  if (docs.length === 0) throw new KubectlError('error: no objects passed to apply');
  return docs;
}
