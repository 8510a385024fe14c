import { expect, test } from 'vitest';
import { pollUntil, WaitTimeoutError } from '../../../src/cluster/wait.ts';

function fakeClock() {
  let t = 0;
  return { now: () => t, delay: async (ms: number) => void (t += ms) };
}

test('returns the value once the probe is done, polling at the interval', async () => {
  const clock = fakeClock();
  let calls = 0;
  const seen: string[] = [];
  const value = await pollUntil(
    'three',
    async () => (++calls === 3 ? { done: true, value: 'ok' } : { done: false, observed: `attempt ${calls}` }),
    { timeoutMs: 10_000, intervalMs: 1_000, onAttempt: (o) => seen.push(o), ...clock },
  );
  expect(value).toBe('ok');
  expect(clock.now()).toBe(2_000);
  expect(seen).toEqual(['attempt 1', 'attempt 2']);
});

test('times out with what was last observed, never sleeping past the deadline', async () => {
  const clock = fakeClock();
  const error = await pollUntil(
    'nodes Ready',
    async () => ({ done: false, observed: 'worker-node02 NotReady' }),
    {
      timeoutMs: 2_500,
      intervalMs: 1_000,
      ...clock,
    },
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WaitTimeoutError);
  expect((error as Error).message).toBe(
    'timed out after 3 s waiting for nodes Ready; last seen: worker-node02 NotReady',
  );
  expect(clock.now()).toBe(2_500);
});

test('stops when aborted', async () => {
  const abort = new AbortController();
  abort.abort(new Error('interrupted'));
  await expect(
    pollUntil('x', async () => ({ done: false, observed: '' }), {
      timeoutMs: 1000,
      intervalMs: 10,
      signal: abort.signal,
    }),
  ).rejects.toThrow('interrupted');
});
