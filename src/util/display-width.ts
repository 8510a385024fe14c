// Columns by what a terminal shows, not by UTF-16 length: Hangul and other wide characters take two cells,
// combining marks none, so `padEnd` misaligns every table with a Korean title (string-width knows the
// Unicode East Asian Width tables; cli-truncate cuts on cell boundaries).
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';

export const displayWidth = (text: string): number => stringWidth(text);

export function padEndWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

export function padStartWidth(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - stringWidth(text))) + text;
}

/** At most `width` cells, ending in … when cut. */
export function truncateWidth(text: string, width: number): string {
  return cliTruncate(text, width, { position: 'end' });
}

/** The widest of these texts, in cells. */
export function maxWidth(texts: readonly string[], atLeast = 0): number {
  return Math.max(atLeast, ...texts.map((t) => stringWidth(t)));
}
