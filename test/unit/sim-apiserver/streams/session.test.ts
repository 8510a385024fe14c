// The stream session against a plain WebSocket client speaking v5.channel.k8s.io (what kubectl does is
// proven in test/integration/sim-apiserver/streams/): framing, CLOSE of stdin, the exit Status, and who
// ends the process when the client goes away. The processes are plain host processes (the pods' real ones
// are tested on the testbed, test/e2e/sim/pods.test.ts).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  handleStreamUpgrade,
  parseStreamRequest,
  type PodProcess,
  type ProcessExit,
  type StreamTarget,
} from '../../../../src/sim/apiserver/streams/index.ts';

/** A host process as a PodProcess (no terminal): pipes, its exit once its output has ended. */
function hostProcess(argv: readonly string[]): PodProcess {
  const [program = 'true', ...args] = argv;
  const child = spawn(program, args, { stdio: 'pipe' });
  const exit = new Promise<ProcessExit>((resolve) =>
    child.on('close', (code, signal) =>
      resolve(signal ? { code: 128 + constants.signals[signal], signal } : { code: code ?? 0 }),
    ),
  );
  return {
    stdin: child.stdin,
    stdout: child.stdout,
    stderr: child.stderr,
    resize: () => undefined,
    exit,
    kill: () => child.kill('SIGKILL'),
  };
}
let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

/** A server whose every upgrade is a stream on the target `make` builds for the request. */
async function serve(make: (url: string) => StreamTarget): Promise<string> {
  server = createServer((_req, res) => res.end());
  server.on('upgrade', (req, socket, head: Buffer) =>
    handleStreamUpgrade(req, socket, head, make(req.url ?? '')),
  );
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function execTarget(url: string, opened: PodProcess[] = []): StreamTarget {
  const request = parseStreamRequest(url);
  if (!request) throw new Error(`not a stream URL: ${url}`);
  return {
    request,
    ownsProcess: request.kind === 'exec',
    open: async () => {
      const p = hostProcess(request.command);
      opened.push(p);
      return p;
    },
  };
}

/** Connects, runs `talk`, and collects every message until the server closes. */
function session(
  url: string,
  talk: (ws: WebSocket) => void,
): Promise<{ frames: [number, string][]; code: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['v5.channel.k8s.io']);
    const frames: [number, string][] = [];
    ws.on('open', () => talk(ws));
    ws.on('message', (data: Buffer) => frames.push([data[0] ?? -1, data.subarray(1).toString('utf8')]));
    ws.on('close', (code) => resolve({ frames, code }));
    ws.on('error', reject);
  });
}

const EXEC = '/api/v1/namespaces/default/pods/box/exec';

describe('runStreamSession', () => {
  it('passes stdin until CLOSE, then sends the output and the exit Status, and closes normally', async () => {
    const base = await serve((url) => execTarget(url));
    const url = `${base}${EXEC}?command=sh&command=-c&command=cat%3B+exit+7&stdin=true&stdout=true&stderr=true`;
    const { frames, code } = await session(url, (ws) => {
      ws.send(Buffer.from('\x00ab'));
      ws.send(Buffer.from('\x00c\n'));
      ws.send(Buffer.from([255, 0]));
    });
    expect(code).toBe(1000);
    expect(
      frames
        .filter(([ch]) => ch === 1)
        .map(([, d]) => d)
        .join(''),
    ).toBe('abc\n');
    expect(frames.at(-1)?.[0]).toBe(3);
    expect(JSON.parse(frames.at(-1)?.[1] ?? '')).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'command terminated with non-zero exit code: error executing command [sh -c cat; exit 7], exit code 7',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '7' }] },
    });
  });

  it('kills an exec process when the client goes away', async () => {
    const opened: PodProcess[] = [];
    const base = await serve((url) => execTarget(url, opened));
    // exec: a child of sh would hold stdout open after sh is killed, and the exit waits for the output's end
    const script = 'command=sh&command=-c&command=echo+ready%3B+exec+sleep+30';
    await session(`${base}${EXEC}?${script}&stdin=true&stdout=true`, (ws) => {
      ws.once('message', () => ws.close());
    });
    expect(await opened[0]?.exit).toEqual({ code: 137, signal: 'SIGKILL' });
  });

  it('leaves an attached process running when the client detaches; the next attach sees new output', async () => {
    const main = hostProcess(['sh']);
    const base = await serve((url) => {
      const request = parseStreamRequest(url);
      if (!request) throw new Error(url);
      return { request, ownsProcess: false, open: async () => main };
    });
    const attach = `${base}/api/v1/namespaces/default/pods/box/attach?stdin=true&stdout=true`;
    const first = await session(attach, (ws) => {
      ws.once('message', () => ws.close());
      ws.send(Buffer.from('\x00echo one\n'));
    });
    expect(first.frames[0]).toEqual([1, 'one\n']);
    const second = await session(attach, (ws) => ws.send(Buffer.from('\x00echo two; exit 3\n')));
    expect(second.frames.map(([ch, d]) => [ch, ch === 3 ? JSON.parse(d).status : d])).toEqual([
      [1, 'two\n'],
      [3, 'Success'],
    ]);
    expect(await main.exit).toEqual({ code: 3 });
  });

  it('refuses an upgrade without the v5 subprotocol with a Status', async () => {
    const base = await serve((url) => execTarget(url));
    const { port } = new URL(base);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        path: `${EXEC}?command=ls&stdout=true`,
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Protocol': 'v4.channel.k8s.io',
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message:
        'unsupported streaming protocol (offered: v4.channel.k8s.io); the simulated API server speaks v5.channel.k8s.io',
    });
  });
});
