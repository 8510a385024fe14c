// A terminal's canonical-mode line discipline, as a pty gives a program that reads lines (termios ICANON,
// ECHO, ICRNL on input; ONLCR on output): typed characters are echoed, CR ends a line, backspace erases
// one character, Ctrl-U the line, Ctrl-C interrupts (the line is dropped, `^C` echoed), Ctrl-D on an empty
// line is end of input. Escape sequences (arrow keys) are swallowed: the pod shell has no line editing.
export type LineEvent =
  | { readonly kind: 'echo'; readonly text: string }
  | { readonly kind: 'line'; readonly text: string }
  | { readonly kind: 'interrupt' }
  | { readonly kind: 'eof' };

const CTRL_C = '\x03';
const CTRL_D = '\x04';
const CTRL_U = '\x15';
const ESC = '\x1b';

export class LineDiscipline {
  private line = '';
  /** Inside an escape sequence: 'esc' after ESC, 'csi' after ESC [ until its final byte. */
  private escape: 'none' | 'esc' | 'csi' = 'none';

  /** Feeds typed input; returns what the terminal does with it, in order. */
  feed(input: string): LineEvent[] {
    const events: LineEvent[] = [];
    const echo = (text: string): void => {
      const last = events.at(-1);
      if (last?.kind === 'echo') events[events.length - 1] = { kind: 'echo', text: last.text + text };
      else events.push({ kind: 'echo', text });
    };
    for (const ch of input) {
      if (this.escape !== 'none') {
        this.escape =
          this.escape === 'esc' && ch === '['
            ? 'csi'
            : this.escape === 'csi' && !/[@-~]/.test(ch)
              ? 'csi'
              : 'none';
        continue;
      }
      if (ch === ESC) this.escape = 'esc';
      else if (ch === '\r' || ch === '\n') {
        echo('\r\n');
        events.push({ kind: 'line', text: this.line });
        this.line = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.line.length > 0) {
          this.line = [...this.line].slice(0, -1).join('');
          echo('\b \b');
        }
      } else if (ch === CTRL_U) {
        echo('\b \b'.repeat([...this.line].length));
        this.line = '';
      } else if (ch === CTRL_C) {
        echo('^C\r\n');
        this.line = '';
        events.push({ kind: 'interrupt' });
      } else if (ch === CTRL_D) {
        if (this.line === '') events.push({ kind: 'eof' });
      } else if (ch >= ' ' || ch === '\t') {
        this.line += ch;
        echo(ch);
      }
    }
    return events;
  }
}

/** Output post-processing of a terminal (ONLCR): a program's `\n` reaches the screen as `\r\n`. */
export function toTerminal(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
