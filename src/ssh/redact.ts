// Secrets (tokens, registry passwords) never reach a message, log or report: each becomes `***`.

export const REDACTED = '***';

/** Replaces every occurrence of each non-empty secret; longer secrets first so overlaps redact fully. */
export function redact(text: string, secrets: readonly string[] | undefined): string {
  if (!secrets || secrets.length === 0) return text;
  let out = text;
  for (const secret of [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length))
    out = out.replaceAll(secret, REDACTED);
  return out;
}
