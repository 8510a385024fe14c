import { describe, expect, test } from 'vitest';
import { ChannelOpenError } from '../../../src/ssh/exec.ts';
import { SessionLimit, type ChannelCounts } from '../../../src/ssh/session-limit.ts';
import { ChannelSlots } from '../../../src/ssh/slots.ts';

/** A connection as the learning sees it: counts only. */
function counts(open: number, peak = open, opened = open): ChannelCounts {
  return { openChannels: open, peakChannels: peak, opened, closed: false };
}

const refuse = (): Promise<never> =>
  Promise.reject(new ChannelOpenError('(SSH) Channel open failure: open failed'));

describe('SessionLimit', () => {
  test('a refusal is retried until the open succeeds; nothing is learned from one transient refusal', async () => {
    const slots = new ChannelSlots(10);
    const limit = new SessionLimit(slots);
    let calls = 0;
    const open = limit.opener(counts(8, 9), performance.now() + 5_000);
    const value = await open(() => (++calls < 3 ? refuse() : Promise.resolve('channel')));
    expect(value).toBe('channel');
    expect(calls).toBe(3);
    expect(limit.stats()).toEqual({ refusals: 2, learnedLimit: undefined });
    expect(slots.limit).toBe(10);
  });

  test('three refusals in a row at the highest level ever open lower the limit to that level', async () => {
    const slots = new ChannelSlots(10);
    const limit = new SessionLimit(slots);
    const conn = counts(4);
    let calls = 0;
    await limit.opener(conn, performance.now() + 5_000)(() => (++calls <= 3 ? refuse() : Promise.resolve(1)));
    expect(limit.stats().learnedLimit).toBe(4);
    expect(slots.limit).toBe(4);
  });

  test('a channel opened between refusals resets the count (the server took one more)', async () => {
    const slots = new ChannelSlots(10);
    const limit = new SessionLimit(slots);
    const conn = { ...counts(4), opened: 4 };
    let calls = 0;
    await limit.opener(
      conn,
      performance.now() + 5_000,
    )(() => {
      calls++;
      conn.opened++; // another command's channel opened meanwhile
      return calls <= 5 ? refuse() : Promise.resolve(1);
    });
    expect(limit.stats().learnedLimit).toBeUndefined();
    expect(slots.limit).toBe(10);
  });

  test('refusals below the proven level never lower the limit', async () => {
    const slots = new ChannelSlots(10);
    const limit = new SessionLimit(slots);
    let calls = 0;
    await limit.opener(
      counts(5, 9),
      performance.now() + 5_000,
    )(() => (++calls <= 6 ? refuse() : Promise.resolve(1)));
    expect(slots.limit).toBe(10);
  });

  test('past the deadline the refusal is thrown; other errors are thrown at once', async () => {
    const limit = new SessionLimit(new ChannelSlots(10));
    const started = performance.now();
    await expect(limit.opener(counts(1, 9), started + 150)(refuse)).rejects.toBeInstanceOf(ChannelOpenError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    let calls = 0;
    const other = limit.opener(
      counts(1, 9),
      performance.now() + 5_000,
    )(() => {
      calls++;
      return Promise.reject(new Error('connection lost'));
    });
    await expect(other).rejects.toThrow('connection lost');
    expect(calls).toBe(1);
  });

  test('an abort stops the waiting', async () => {
    const limit = new SessionLimit(new ChannelSlots(10));
    let aborted = false;
    const started = performance.now();
    const pending = limit.opener(counts(1, 9), started + 10_000, () => aborted)(refuse);
    setTimeout(() => (aborted = true), 50);
    await expect(pending).rejects.toBeInstanceOf(ChannelOpenError);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('ChannelSlots limits', () => {
  test('lowerLimit only lowers, never below 2; held slots drain before new grants', async () => {
    const slots = new ChannelSlots(5);
    const held = await Promise.all([slots.acquire(), slots.acquire(), slots.acquire()]);
    slots.lowerLimit(3);
    slots.lowerLimit(8);
    expect(slots.limit).toBe(3);
    let granted = false;
    const next = slots.acquire().then((release) => ((granted = true), release));
    await Promise.resolve();
    expect(granted).toBe(false);
    held.forEach((release) => release());
    (await next)();
    expect(granted).toBe(true);
    slots.lowerLimit(0);
    expect(slots.limit).toBe(2);
  });

  test('nextRelease resolves at the next release, or after its timeout', async () => {
    const slots = new ChannelSlots(4);
    const release = await slots.acquire();
    const started = performance.now();
    const waiting = slots.nextRelease(5_000);
    setTimeout(release, 20);
    await waiting;
    expect(performance.now() - started).toBeLessThan(5_000);
    const idle = performance.now();
    await slots.nextRelease(30);
    expect(performance.now() - idle).toBeGreaterThanOrEqual(25);
  });
});
