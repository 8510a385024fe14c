// The host-side GET the NodePort and LoadBalancer checks use: a page, a refusal or a timeout, never a hang.
// Only to a server this test starts on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { hostHttpGet } from '../../../src/lab/host-http.ts';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/hang') return; // never answers
    res.end('<p>Hello,  hostname-deployment-a</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('a page comes back with its status', async () => {
  expect(await hostHttpGet(`${base}/`, { timeoutMs: 2000 })).toEqual({
    ok: true,
    status: 200,
    body: '<p>Hello,  hostname-deployment-a</p>',
  });
});

test('a server that never answers costs the timeout, no more', async () => {
  const started = performance.now();
  expect(await hostHttpGet(`${base}/hang`, { timeoutMs: 300 })).toEqual({ ok: false, error: 'timeout' });
  expect(performance.now() - started).toBeLessThan(2000);
});

test('a closed port is a refusal', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  expect(await hostHttpGet(`http://127.0.0.1:${port}/`, { timeoutMs: 2000 })).toEqual({
    ok: false,
    error: 'ECONNREFUSED',
  });
});

test('a canceled run stops the request', async () => {
  const controller = new AbortController();
  const pending = hostHttpGet(`${base}/hang`, { timeoutMs: 5000, signal: controller.signal });
  controller.abort();
  expect(await pending).toEqual({ ok: false, error: 'canceled' });
});
