import { describe, expect, it } from 'vitest';
import { parseStreamRequest, StreamRequestError } from '../../../../src/sim/apiserver/streams/request.ts';
import { ResizeDecoder, parseClientMessage } from '../../../../src/sim/apiserver/streams/channels.ts';

describe('parseStreamRequest', () => {
  it('reads an exec URL as kubectl 1.33 sends it', () => {
    const url =
      '/api/v1/namespaces/default/pods/box/exec?command=sh&command=-c&command=echo+hi%3B+exit+3&container=c1&stderr=true&stdout=true';
    expect(parseStreamRequest(url)).toEqual({
      kind: 'exec',
      namespace: 'default',
      pod: 'box',
      container: 'c1',
      command: ['sh', '-c', 'echo hi; exit 3'],
      stdin: false,
      stdout: true,
      stderr: true,
      tty: false,
    });
  });

  it('reads an attach URL without a command', () => {
    expect(
      parseStreamRequest(
        '/api/v1/namespaces/ns1/pods/debug/attach?container=debug&stdin=true&stdout=true&tty=true',
      ),
    ).toMatchObject({ kind: 'attach', namespace: 'ns1', pod: 'debug', command: [], stdin: true, tty: true });
  });

  it('leaves other paths to the server', () => {
    expect(parseStreamRequest('/api/v1/namespaces/default/pods/box/log')).toBeUndefined();
    expect(parseStreamRequest('/api/v1/namespaces/default/pods/box')).toBeUndefined();
  });

  it("refuses what kube-apiserver's validation refuses, in its words", () => {
    expect(() => parseStreamRequest('/api/v1/namespaces/d/pods/p/exec?stdout=true')).toThrow(
      new StreamRequestError('you must specify at least 1 command'),
    );
    expect(() => parseStreamRequest('/api/v1/namespaces/d/pods/p/exec?command=ls')).toThrow(
      'you must specify at least 1 of stdin, stdout, stderr',
    );
    expect(() => parseStreamRequest('/api/v1/namespaces/d/pods/p/exec?command=ls&stdout=yes')).toThrow(
      'invalid value for stdout: "yes" (want true or false)',
    );
  });
});

describe('v5 channel messages', () => {
  it('splits the channel byte from the data, and reads CLOSE of a channel', () => {
    expect(parseClientMessage(Buffer.from([0, 0x61]))).toEqual({ kind: 'stdin', data: Buffer.from('a') });
    expect(parseClientMessage(Buffer.from([255, 0]))).toEqual({ kind: 'close', channel: 0 });
    expect(parseClientMessage(Buffer.alloc(0))).toBeUndefined();
  });

  it("decodes client-go's resize JSON, split or batched, and names bad input", () => {
    const decoder = new ResizeDecoder();
    expect(decoder.feed(Buffer.from('{"Width":80,'))).toEqual({ sizes: [], errors: [] });
    expect(decoder.feed(Buffer.from('"Height":24}\n{"Width":100,"Height":30}\n'))).toEqual({
      sizes: [
        { width: 80, height: 24 },
        { width: 100, height: 30 },
      ],
      errors: [],
    });
    expect(decoder.feed(Buffer.from('{"cols":1}\n')).errors).toEqual([
      'resize: want {"Width":N,"Height":N}, got {"cols":1}',
    ]);
  });
});
