// Command output shown to a student: long enough to see what came back, short enough to read in a terminal.
const MAX_LINES = 12;
const MAX_CHARS = 1200;

/** Keeps the first lines/characters and says how much was cut. */
export function trimForDisplay(text: string, maxLines = MAX_LINES, maxChars = MAX_CHARS): string {
  const lines = text.split('\n');
  let out = lines.slice(0, maxLines).join('\n');
  let cut = lines.length > maxLines ? ` (${lines.length - maxLines} more lines)` : '';
  if (out.length > maxChars) {
    out = out.slice(0, maxChars);
    cut = ` (${text.length - maxChars} more characters)`;
  }
  return cut ? `${out}…${cut}` : out;
}
