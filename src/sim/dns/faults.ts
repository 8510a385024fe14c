// The `dns-broken` fault (the DNS pod stops answering): read from the simulator's own settings on the
// apiserver (GET /labkit/sim-config?watch=true, src/sim/apiserver/server.ts), which sends the settings
// now and after every change, so an idle DNS pod costs nothing. While the apiserver cannot be reached the
// last known state holds, and the watch is opened again.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { ApiClient } from './api-client.ts';

/** Mirrors SIM_CONFIG_PATH of src/sim/apiserver/server.ts, kept here so the DNS process loads no apiserver code. */
export const SIM_CONFIG_PATH = '/labkit/sim-config';
export const DNS_BROKEN = 'dns-broken';

const SimConfigFaultsSchema = z.looseObject({ faults: z.array(z.string()) });

export interface FaultWatch {
  broken(): boolean;
  stop(): void;
}

/** `retryMs`: the wait before the watch is opened again after it ended or failed. */
export function watchDnsFault(client: ApiClient, retryMs: number): FaultWatch {
  let broken = false;
  const abort = new AbortController();
  const run = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      try {
        await client.watch(
          `${SIM_CONFIG_PATH}?watch=true`,
          (raw) => {
            const config = SimConfigFaultsSchema.safeParse(raw);
            if (config.success) broken = config.data.faults.includes(DNS_BROKEN);
          },
          abort.signal,
        );
      } catch {
        // keep the last state: the informers already log a lost apiserver
      }
      await sleep(retryMs, undefined, { signal: abort.signal }).catch(() => undefined);
    }
  };
  void run();
  return {
    broken: () => broken,
    stop: () => abort.abort(),
  };
}
