// The node-shell probe of node-port-open, run in a real /bin/sh against a server this test starts on
// 127.0.0.1: answers are labelled per URL, a closed port is an empty answer, and a hostile URL stays a word.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { nodeProbeScript, parseAnswers } from '../../../src/checks/http-script.ts';
import { toolPath } from '../../helpers/tools.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

const MARKER = '/tmp/labkit-types-probe-marker';
let server: Server;
let port: number;

function sh(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(toolPath('posix-sh'), ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}

describeWithTools(['posix-sh'], 'nodeProbeScript', () => {
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('<p>Hello,  hostname-deployment-a</p>\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    rmSync(MARKER, { force: true });
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('each URL answered or not, labelled in order; shell syntax in a URL is inert', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const urls = [
      `http://127.0.0.1:${port}/`,
      `http://127.0.0.1:${closedPort}/`,
      `http://127.0.0.1:${port}/$(touch ${MARKER})`,
    ];
    const answers = parseAnswers(await sh(nodeProbeScript(urls)));
    expect(answers.get(0)?.name).toBe('hostname-deployment-a');
    expect(answers.get(1)?.name).toBeUndefined();
    // Whatever curl makes of that URL, it stays one word: no command ran.
    expect(answers.size).toBe(3);
    expect(existsSync(MARKER)).toBe(false);
  }, 20_000);
});
