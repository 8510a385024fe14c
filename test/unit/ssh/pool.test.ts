import { describe, expect, test } from 'vitest';
import { mergeExecOptions, SshPool } from '../../../src/ssh/pool.ts';
import { redact } from '../../../src/ssh/redact.ts';
import { ChannelSlots } from '../../../src/ssh/slots.ts';

describe('pool options', () => {
  test('call options merge over defaults without mutating them; env and secrets accumulate', () => {
    const defaults = Object.freeze({
      timeoutMs: 5_000,
      env: Object.freeze({ A: '1' }),
      secrets: Object.freeze(['s1']),
      sudo: true,
    });
    const merged = mergeExecOptions(defaults, { env: { B: '2' }, secrets: ['s2'], sudo: false });
    expect(merged).toMatchObject({
      timeoutMs: 5_000,
      env: { A: '1', B: '2' },
      secrets: ['s1', 's2'],
      sudo: false,
    });
    expect(defaults.env).toEqual({ A: '1' });
    expect(mergeExecOptions({}, {}).timeoutMs).toBe(60_000);
  });

  test('duplicate target names are refused', () => {
    const t = { name: 'm', host: 'h', port: 22, user: 'u', hostKey: { mode: 'ignore' } } as const;
    expect(() => new SshPool([t, t])).toThrow('duplicate SSH target name "m"');
  });
});

describe('ChannelSlots', () => {
  test('ordinary work gets limit-1 slots, priority work the last one, FIFO beyond', async () => {
    const slots = new ChannelSlots(3);
    const a = await slots.acquire();
    const b = await slots.acquire();
    let cGranted = false;
    const c = slots.acquire().then((release) => ((cGranted = true), release));
    await Promise.resolve();
    expect(cGranted).toBe(false);
    const kill = await slots.acquire(true);
    expect(slots.inUse).toBe(3);
    kill();
    a();
    (await c)();
    b();
    expect(cGranted).toBe(true);
    expect(slots.inUse).toBe(0);
    expect(slots.peak).toBe(3);
  });
});

describe('redact', () => {
  test('replaces every occurrence, longest secret first', () => {
    expect(redact('tok tokmore tok', ['tok', 'tokmore'])).toBe('*** *** ***');
    expect(redact('abc', ['', 'zzz'])).toBe('abc');
  });
});
