// The `dns-broken` fault (the DNS pod stops answering): read from the simulator's own settings on the
// apiserver (GET /labkit/sim-config, src/sim/apiserver/server.ts), polled, since that path has no watch.
// While the apiserver cannot be reached the last known state holds.
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

export function pollDnsFault(client: ApiClient, intervalMs: number): FaultWatch {
  let broken = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async (): Promise<void> => {
    try {
      const config = SimConfigFaultsSchema.safeParse(await client.getJson(SIM_CONFIG_PATH));
      if (config.success) broken = config.data.faults.includes(DNS_BROKEN);
    } catch {
      // keep the last state: the informers already log a lost apiserver
    }
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  void tick();
  return {
    broken: () => broken,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
