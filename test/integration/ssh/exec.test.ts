import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ExecError } from '../../../src/ssh/errors.ts';
import { createSshPool, type SshPool } from '../../../src/ssh/pool.ts';
import { startTestSshServer, type TestSshServer } from '../../helpers/ssh-server.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

let server: TestSshServer;
let pool: SshPool;
const HOST = 'test-host';

/** Processes whose command line contains `marker` (excluding pgrep itself). */
function pgrep(marker: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', '-a', marker], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

async function waitGone(marker: string, ms = 3_000): Promise<string[]> {
  const end = Date.now() + ms;
  let left = pgrep(marker);
  while (left.length > 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    left = pgrep(marker);
  }
  return left;
}

const HOSTILE = [
  '$(touch /tmp/labkit-pwned)',
  '`id`',
  "it's",
  '"double" quotes',
  'line one\nline two',
  'tab\there',
  '한국어 서비스 ✓',
  '',
  ' leading and trailing ',
  '*',
  '~',
  '--flag=value',
  'A=b',
  'semi; rm -rf /',
  '$HOME ${PATH} \\ backslash',
  "'",
  '!bang',
  'if',
];

describeWithTools(['linux-shell'], 'exec over the in-process server', () => {
  beforeAll(async () => {
    server = await startTestSshServer({ maxSessions: 10 });
    pool = createSshPool([server.target()], { maxSessionsPerHost: 10 });
  });

  afterAll(async () => {
    await pool.close();
    await server.close();
  });

  test('argv with hostile strings arrives intact', async () => {
    const result = await pool.run(HOST, { argv: ['printf', '%s\\0', ...HOSTILE] });
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });

  test('a script runs under bash with env, stdin and sudo-less defaults', async () => {
    const result = await pool.run(
      HOST,
      {
        script:
          'set -euo pipefail\necho "greeting=$GREETING"\nread -r line\necho "stdin=$line"\necho oops >&2',
      },
      { env: { GREETING: "hello 'world' $(x)" }, stdin: 'from stdin\n' },
    );
    expect(result.stdout).toBe("greeting=hello 'world' $(x)\nstdin=from stdin\n");
    expect(result.stderr).toBe('oops\n');
  });

  test('a failing command: exec resolves with the result, run rejects with ExecError carrying it', async () => {
    const result = await pool.exec(HOST, { argv: ['sh', '-c', 'echo out; echo err >&2; exit 3'] });
    expect(result).toMatchObject({
      exitCode: 3,
      stdout: 'out\n',
      stderr: 'err\n',
      timedOut: false,
      canceled: false,
    });
    const error = await pool
      .run(HOST, { argv: ['sh', '-c', 'echo out; echo err >&2; exit 3'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecError);
    expect((error as ExecError).message).toBe(
      "test-host: exit code 3: sh -c 'echo out; echo err >&2; exit 3'\nerr\nout",
    );
    expect((error as ExecError).result.exitCode).toBe(3);
  });

  test('a missing program is exit code 127 (command not found)', async () => {
    const error = (await pool
      .run(HOST, { argv: ['labkit-no-such-program'] })
      .catch((e: unknown) => e)) as ExecError;
    expect(error.shortMessage).toBe('test-host: exit code 127 (command not found): labkit-no-such-program');
  });

  test('streaming callbacks see the output as it comes', async () => {
    const chunks: string[] = [];
    await pool.run(
      HOST,
      { script: 'for i in 1 2 3; do echo $i; sleep 0.05; done' },
      { onStdout: (c) => chunks.push(c) },
    );
    expect(chunks.join('')).toBe('1\n2\n3\n');
    expect(chunks.length).toBeGreaterThan(1);
  });

  test('50 concurrent commands with a limit of 10 all succeed, never more than 10 channels open', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => pool.run(HOST, { argv: ['sh', '-c', `sleep 0.05; echo ${i}`] })),
    );
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 50 }, (_, i) => `${i}\n`));
    expect(server.peakSessions).toBeLessThanOrEqual(10);
    expect(pool.stats(HOST).peakChannels).toBeLessThanOrEqual(10);
    expect(pool.stats(HOST).connects).toBe(1);
  });

  test('a hanging command hits its timeout and its whole process group is gone', async () => {
    const marker = `600.${process.pid}${Date.now() % 100000}1`;
    const started = performance.now();
    const result = await pool.exec(
      HOST,
      { script: `sleep ${marker} & sleep ${marker}; wait` },
      { timeoutMs: 1_000 },
    );
    expect(result.timedOut).toBe(true);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await waitGone(marker)).toEqual([]);
    const error = (await pool
      .run(HOST, { argv: ['sleep', marker] }, { timeoutMs: 300 })
      .catch((e: unknown) => e)) as ExecError;
    expect(error.shortMessage).toBe(`test-host: timed out after 300 ms: sleep ${marker}`);
    expect(await waitGone(marker)).toEqual([]);
  });

  test('without the remote backstop a timeout still kills the whole process group', async () => {
    const marker = `600.${process.pid}${Date.now() % 100000}4`;
    const result = await pool.exec(
      HOST,
      { script: `sleep ${marker} & sleep ${marker}; wait` },
      { timeoutMs: 800, backstop: false },
    );
    expect(result.timedOut).toBe(true);
    expect(await waitGone(marker)).toEqual([]);
  });

  test('an AbortSignal cancels the command and kills it', async () => {
    const marker = `600.${process.pid}${Date.now() % 100000}2`;
    const controller = new AbortController();
    const pending = pool.exec(HOST, { argv: ['sleep', marker] }, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 300));
    expect(pgrep(`^sleep ${marker}`)).toHaveLength(1);
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ canceled: true, timedOut: false });
    expect(await waitGone(marker)).toEqual([]);
    const already = await pool.exec(HOST, { argv: ['true'] }, { signal: AbortSignal.abort() });
    expect(already.canceled).toBe(true);
  });

  test('timeouts of a full host still clean up (the kill uses the reserved slot)', async () => {
    const marker = `600.${process.pid}${Date.now() % 100000}3`;
    const results = await Promise.all(
      Array.from({ length: 12 }, () => pool.exec(HOST, { argv: ['sleep', marker] }, { timeoutMs: 500 })),
    );
    expect(results.every((r) => r.timedOut)).toBe(true);
    expect(await waitGone(marker)).toEqual([]);
  });

  test('secrets are redacted in messages', async () => {
    const secret = 's3cr3t-token';
    const error = (await pool
      .run(HOST, { argv: ['sh', '-c', `echo using ${secret} >&2; exit 1`] }, { secrets: [secret] })
      .catch((e: unknown) => e)) as ExecError;
    expect(error.message).toBe("test-host: exit code 1: sh -c 'echo using *** >&2; exit 1'\nusing ***");
    expect(error.result.command).not.toContain(secret);
  });

  // Latency is measured by `npm run bench -- ssh`, not asserted here (timed tests flake on loaded machines).
  test('200 sequential `true` each resolve with exit 0 and a measured duration', async () => {
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const result = await pool.run(HOST, { argv: ['true'] });
      expect(result.exitCode).toBe(0);
      times.push(result.durationMs);
    }
    times.sort((a, b) => a - b);
    expect(times[0]).toBeGreaterThan(0);
    console.log(`ssh exec latency over the in-process server: median ${times[100]} ms, p90 ${times[180]} ms`);
  });
});
