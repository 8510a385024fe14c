// Columns by what a terminal shows, not by UTF-16 length: Hangul and other wide characters take two cells,
// combining marks none, so `padEnd` misaligns every table with a Korean title (string-width knows the
// Unicode East Asian Width tables).
import stringWidth from 'string-width';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export const displayWidth = (text: string): number => stringWidth(text);

export function padEndWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

export function padStartWidth(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - stringWidth(text))) + text;
}

/** At most `width` cells, ending in … when cut; whole characters only (cli-truncate lets a wide character
 *  before the … overshoot by one cell). */
export function truncateWidth(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

/** The widest of these texts, in cells. */
export function maxWidth(texts: readonly string[], atLeast = 0): number {
  return Math.max(atLeast, ...texts.map((t) => stringWidth(t)));
}
