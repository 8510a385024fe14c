// The CRI log format as upstream's parseCRILog reads it, and kubectl logs' options as ReadLogs applies
// them (kuberuntime/logs/logs.go): tail by file lines, since by timestamp, a timestamp per line, limitBytes.
import { describe, expect, it } from 'vitest';
import {
  CriLineSplitter,
  criTimeNs,
  formatCriTime,
  logText,
  parseCriLine,
} from '../../../../src/sim/runtime/cri-log.ts';
import { LogWriter, logOptionsFromQuery, tailStart } from '../../../../src/sim/apiserver/pod-logs.ts';

const LOG = Buffer.from(
  [
    '2026-12-02T10:00:00.000000001Z stdout F one',
    '2026-12-02T10:00:01.5Z stderr F two',
    'garbage that is not a CRI line',
    '2026-12-02T10:00:02Z stdout P thr',
    '2026-12-02T10:00:02.100000000Z stdout F ee',
    '2026-12-02T10:00:03.000000000Z stdout P prompt> ',
    '',
  ].join('\n'),
);

function render(options: Parameters<typeof logOptionsFromQuery>[0], data = LOG, nowMs = 0): string {
  const opts = logOptionsFromQuery(options, nowMs);
  let out = '';
  const writer = new LogWriter(opts, (d) => (out += String(d)));
  const splitter = new CriLineSplitter();
  for (const e of [...splitter.push(data.subarray(tailStart(data, opts.tailLines))), ...splitter.end()])
    if (!writer.write(e)) break;
  return out;
}

describe('CRI log lines', () => {
  it('parses time, stream, tag and content; a partial line loses its file newline', () => {
    const full = parseCriLine(Buffer.from('2016-10-06T00:17:09.669794202Z stderr F log content 2\n'));
    expect(full).toMatchObject({ time: '2016-10-06T00:17:09.669794202Z', stream: 'stderr', partial: false });
    expect(String(full?.content)).toBe('log content 2\n');
    const part = parseCriLine(Buffer.from('2016-10-06T00:17:09.669794202Z stdout P:x part\n'));
    expect(part?.partial).toBe(true);
    expect(String(part?.content)).toBe('part');
  });

  it('rejects what is not a CRI line, as upstream does', () => {
    for (const line of [
      'no spaces',
      'yesterday stdout F x\n',
      '2016-10-06T00:17:09Z stdin F x\n',
      '2016-10-06T00:17:09Z stdout',
    ])
      expect(parseCriLine(Buffer.from(line))).toBeUndefined();
  });

  it('splits a stream of chunks cut anywhere into the same entries', () => {
    const whole = new CriLineSplitter().push(LOG).map((e) => String(e.content));
    for (const cut of [1, 7, 33, 50, LOG.length - 3]) {
      const s = new CriLineSplitter();
      const parts = [...s.push(LOG.subarray(0, cut)), ...s.push(LOG.subarray(cut)), ...s.end()];
      expect(parts.map((e) => String(e.content))).toEqual(whole);
    }
    expect(whole).toEqual(['one\n', 'two\n', 'thr', 'ee\n', 'prompt> ']);
  });

  it('gives the container text of one or both streams', () => {
    expect(String(logText(LOG))).toBe('one\ntwo\nthree\nprompt> ');
    expect(String(logText(LOG, 'stderr'))).toBe('two\n');
  });

  it('reads timestamps to the nanosecond and writes them with nine digits', () => {
    expect(criTimeNs('2026-12-02T10:00:00.000000001Z') - criTimeNs('2026-12-02T10:00:00Z')).toBe(1n);
    expect(criTimeNs('2026-12-02T19:00:00+09:00')).toBe(criTimeNs('2026-12-02T10:00:00Z'));
    expect(formatCriTime('2026-12-02T10:00:01.5Z')).toBe('2026-12-02T10:00:01.500000000Z');
  });
});

describe('kubectl logs options on a CRI log', () => {
  it('shows every stream in order by default', () => {
    expect(render(new URLSearchParams())).toBe('one\ntwo\nthree\nprompt> ');
  });

  it('tails by file lines; the unfinished last line is shown but not counted', () => {
    expect(render(new URLSearchParams('tailLines=1'))).toBe('prompt> ');
    expect(render(new URLSearchParams('tailLines=2'))).toBe('ee\nprompt> ');
    expect(render(new URLSearchParams('tailLines=0'))).toBe('');
    expect(render(new URLSearchParams('tailLines=99'))).toBe('one\ntwo\nthree\nprompt> ');
    const open = Buffer.from('2026-12-02T10:00:00Z stdout F a\n2026-12-02T10:00:00Z stdout F b');
    expect(tailStart(open, 0)).toBe(open.indexOf('2026', 1));
    expect(render(new URLSearchParams('tailLines=1'), open)).toBe('a\nb');
  });

  it('skips lines older than sinceTime or sinceSeconds (the later of the two wins)', () => {
    expect(render(new URLSearchParams('sinceTime=2026-12-02T10:00:01Z'))).toBe('two\nthree\nprompt> ');
    const now = Date.parse('2026-12-02T10:00:03Z');
    expect(render(new URLSearchParams('sinceSeconds=2'), LOG, now)).toBe('two\nthree\nprompt> ');
    expect(render(new URLSearchParams('sinceSeconds=3&sinceTime=2026-12-02T10:00:02.05Z'), LOG, now)).toBe(
      'ee\nprompt> ',
    );
  });

  it('stamps each line once, also one written in parts', () => {
    expect(render(new URLSearchParams('timestamps=true'))).toBe(
      [
        '2026-12-02T10:00:00.000000001Z one',
        '2026-12-02T10:00:01.500000000Z two',
        '2026-12-02T10:00:02.000000000Z three',
        '2026-12-02T10:00:03.000000000Z prompt> ',
      ].join('\n'),
    );
  });

  it('stops at limitBytes, cutting the last line', () => {
    expect(render(new URLSearchParams('limitBytes=6'))).toBe('one\ntw');
    expect(render(new URLSearchParams('limitBytes=1000'))).toBe('one\ntwo\nthree\nprompt> ');
  });
});
