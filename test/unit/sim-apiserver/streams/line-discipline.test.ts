import { describe, expect, it } from 'vitest';
import { LineDiscipline, toTerminal } from '../../../../src/sim/apiserver/streams/line-discipline.ts';

describe('LineDiscipline', () => {
  it('echoes typed characters and ends a line on CR (ICRNL)', () => {
    expect(new LineDiscipline().feed('ls\r')).toEqual([
      { kind: 'echo', text: 'ls\r\n' },
      { kind: 'line', text: 'ls' },
    ]);
  });

  it('erases one character on DEL or BS, and nothing at the start of a line', () => {
    const tty = new LineDiscipline();
    expect(tty.feed('\x7fab\x7f\bc\n')).toEqual([
      { kind: 'echo', text: 'ab\b \b\b \bc\r\n' },
      { kind: 'line', text: 'c' },
    ]);
  });

  it('drops the line on Ctrl-C and kills it on Ctrl-U', () => {
    const tty = new LineDiscipline();
    expect(tty.feed('echo x\x03')).toEqual([{ kind: 'echo', text: 'echo x^C\r\n' }, { kind: 'interrupt' }]);
    expect(tty.feed('ab\x15c\r')).toEqual([
      { kind: 'echo', text: 'ab\b \b\b \bc\r\n' },
      { kind: 'line', text: 'c' },
    ]);
  });

  it('reads Ctrl-D as end of input on an empty line only', () => {
    const tty = new LineDiscipline();
    expect(tty.feed('a\x04')).toEqual([{ kind: 'echo', text: 'a' }]);
    expect(tty.feed('\r\x04')).toEqual([
      { kind: 'echo', text: '\r\n' },
      { kind: 'line', text: 'a' },
      { kind: 'eof' },
    ]);
  });

  it('swallows escape sequences (arrow keys), even split across reads', () => {
    const tty = new LineDiscipline();
    expect(tty.feed('a\x1b[')).toEqual([{ kind: 'echo', text: 'a' }]);
    expect(tty.feed('Ab\x1bOc\r')).toEqual([
      { kind: 'echo', text: 'bc\r\n' },
      { kind: 'line', text: 'abc' },
    ]);
  });
});

describe('toTerminal', () => {
  it('turns each newline into CR LF once (ONLCR)', () => {
    expect(toTerminal('a\nb\r\nc')).toBe('a\r\nb\r\nc');
  });
});
