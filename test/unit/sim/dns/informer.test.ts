// The reflector against a scripted API: LIST then WATCH from its version, events applied, an ERROR event
// or a failure answered with a fresh LIST after a backoff, the objects kept meanwhile.
import { describe, expect, test } from 'vitest';
import type { ApiClient } from '../../../../src/sim/dns/api-client.ts';
import { Informer } from '../../../../src/sim/dns/informer.ts';

const obj = (name: string, rv: string) => ({ metadata: { name, namespace: 'default', resourceVersion: rv } });

interface Script {
  lists: (() => unknown)[];
  watches: ((emit: (e: unknown) => void, signal: AbortSignal) => Promise<void>)[];
}

function scripted(script: Script): ApiClient & { paths: string[] } {
  const paths: string[] = [];
  const hang = (signal: AbortSignal) => new Promise<void>((r) => signal.addEventListener('abort', () => r()));
  return {
    paths,
    getJson(path) {
      paths.push(path);
      const next = script.lists.shift();
      if (!next) return Promise.reject(new Error('no more lists'));
      try {
        return Promise.resolve(next());
      } catch (e) {
        return Promise.reject(e as Error);
      }
    },
    watch(path, onEvent, signal) {
      paths.push(path);
      const next = script.watches.shift();
      return next ? next(onEvent, signal) : hang(signal);
    },
    close() {},
  };
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the informer', () => {
  test('lists, watches from the list version, applies events, resumes from the last version seen', async () => {
    const client = scripted({
      lists: [() => ({ metadata: { resourceVersion: '10' }, items: [obj('a', '5')] })],
      watches: [
        async (emit) => {
          emit({ type: 'ADDED', object: obj('b', '11') });
          emit({ type: 'DELETED', object: obj('a', '12') });
        },
      ],
    });
    const logs: string[] = [];
    const informer = new Informer({
      client,
      path: '/api/v1/services',
      parse: (o) => o,
      onChange: () => {},
      log: (l) => logs.push(l),
    });
    informer.start();
    await until(() => client.paths.length >= 3);
    expect([...informer.items.keys()]).toEqual(['default/b']);
    expect(informer.synced).toBe(true);
    expect(client.paths[1]).toContain('resourceVersion=10');
    expect(client.paths[2]).toContain('resourceVersion=12');
    await informer.stop();
    expect(logs).toEqual([]);
  });

  test('a failure keeps the objects, logs, and relists after a backoff; an ERROR event relists', async () => {
    const client = scripted({
      lists: [
        () => ({ metadata: { resourceVersion: '1' }, items: [obj('a', '1')] }),
        () => {
          throw new Error('connect ECONNREFUSED');
        },
        () => ({ metadata: { resourceVersion: '3' }, items: [obj('c', '3')] }),
        () => ({ metadata: { resourceVersion: '4' }, items: [obj('d', '4')] }),
      ],
      watches: [
        () => Promise.reject(new Error('the watch was cut')),
        async (emit) => emit({ type: 'ERROR', object: { kind: 'Status', code: 410 } }),
      ],
    });
    const logs: string[] = [];
    const informer = new Informer({
      client,
      path: '/api/v1/services',
      parse: (o) => o,
      onChange: () => {},
      log: (l) => logs.push(l),
      initialBackoffMs: 10,
    });
    informer.start();
    await until(() => informer.items.has('default/d'));
    await informer.stop();
    expect(logs).toEqual([
      '[ERROR] plugin/kubernetes: Failed to watch /api/v1/services: the watch was cut',
      '[ERROR] plugin/kubernetes: Failed to watch /api/v1/services: connect ECONNREFUSED',
    ]);
  });
});
