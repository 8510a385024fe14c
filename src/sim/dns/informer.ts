// A reflector as client-go's (and so CoreDNS's) for one resource: LIST, then WATCH from the list's
// resourceVersion; a watch the server ends is resumed from the last version seen, an ERROR event (410
// Expired) or a failure starts over with a LIST after a backoff (doubling to a cap, reset once a LIST
// works). The objects it holds stay served while the API is away, as CoreDNS keeps answering from its
// cache.
import { z } from 'zod';
import type { ApiClient } from './api-client.ts';

const ListSchema = z.looseObject({
  metadata: z.looseObject({ resourceVersion: z.string().optional() }),
  items: z.array(z.unknown()),
});
const EventSchema = z.looseObject({ type: z.string(), object: z.unknown() });
const ObjectMetaSchema = z.looseObject({
  metadata: z.looseObject({
    name: z.string().optional(),
    namespace: z.string().optional(),
    resourceVersion: z.string().optional(),
  }),
});

export interface InformerOptions<T> {
  readonly client: ApiClient;
  /** e.g. /api/v1/services */
  readonly path: string;
  /** Parses one object; undefined skips it (a malformed object must not stop the others). */
  readonly parse: (object: unknown) => T | undefined;
  readonly onChange: () => void;
  readonly log: (line: string) => void;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** The server's timeoutSeconds for one watch (client-go picks 5-10 minutes). */
  readonly watchSeconds?: number;
}

class Expired extends Error {}

export class Informer<T> {
  readonly items = new Map<string, T>();
  synced = false;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;

  constructor(private readonly options: InformerOptions<T>) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async loop(): Promise<void> {
    const { initialBackoffMs = 200, maxBackoffMs = 5000 } = this.options;
    let backoff = initialBackoffMs;
    while (!this.stopped) {
      try {
        let rv = await this.list();
        backoff = initialBackoffMs;
        while (!this.stopped) {
          const started = Date.now();
          const next = await this.watchFrom(rv);
          // A watch the server ends at once and empty is no progress: back off instead of spinning.
          if (next === rv && Date.now() - started < 1000) throw new Error('the watch ended at once');
          rv = next;
        }
      } catch (error) {
        if (this.stopped) break;
        if (!(error instanceof Expired))
          this.options.log(
            `[ERROR] plugin/kubernetes: Failed to watch ${this.options.path}: ${error instanceof Error ? error.message : String(error)}`,
          );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoff);
          this.abort.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
        });
        backoff = Math.min(backoff * 2, maxBackoffMs);
      }
    }
  }

  private key(object: unknown): { key: string; rv: string | undefined } | undefined {
    const meta = ObjectMetaSchema.safeParse(object);
    if (!meta.success || meta.data.metadata.name === undefined) return undefined;
    const m = meta.data.metadata;
    return { key: `${m.namespace ?? ''}/${m.name}`, rv: m.resourceVersion };
  }

  private async list(): Promise<string> {
    const list = ListSchema.parse(await this.options.client.getJson(this.options.path));
    this.items.clear();
    for (const item of list.items) {
      const k = this.key(item);
      const parsed = this.options.parse(item);
      if (k && parsed !== undefined) this.items.set(k.key, parsed);
    }
    this.synced = true;
    this.options.onChange();
    return list.metadata.resourceVersion ?? '0';
  }

  /** One watch; returns the last resourceVersion seen when the server ends it. */
  private async watchFrom(rv: string): Promise<string> {
    const seconds = this.options.watchSeconds ?? 300;
    const query = new URLSearchParams({
      watch: '1',
      resourceVersion: rv,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(seconds),
    });
    let last = rv;
    let expired = false;
    await this.options.client.watch(
      `${this.options.path}?${query.toString()}`,
      (raw) => {
        const event = EventSchema.safeParse(raw);
        if (!event.success) return;
        const { type, object } = event.data;
        if (type === 'ERROR') {
          expired = true;
          return;
        }
        const k = this.key(object);
        if (!k) return;
        if (k.rv !== undefined) last = k.rv;
        if (type === 'BOOKMARK') return;
        if (type === 'DELETED') this.items.delete(k.key);
        else {
          const parsed = this.options.parse(object);
          if (parsed === undefined) this.items.delete(k.key);
          else this.items.set(k.key, parsed);
        }
        this.options.onChange();
      },
      this.abort.signal,
    );
    if (expired) throw new Expired('expired');
    return last;
  }
}
