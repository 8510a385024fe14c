// Switching faults (and timing) of a running testbed's simulated cluster, for e2e tests:
// `await setClusterFaults(['blackhole-endpoint'])` … `await setClusterFaults([])`. The change goes to the
// cluster's apiserver (src/sim/apiserver/admin-client.ts) and holds when the call returns.
import { putSimConfig } from '../../src/sim/apiserver/admin-client.ts';
import { APISERVER_PORT } from '../../src/sim/apiserver/install.ts';
import { FAULTS, FaultSchema, type Fault, type SimConfig } from '../../src/sim/model/state.ts';
import { testbedClusterFiles } from './cluster.ts';
import { testbedPaths } from './paths.ts';
import { readState } from './state.ts';

export { FAULTS, type Fault };

export function parseFaults(names: readonly string[]): Fault[] {
  return names.map((name) => {
    const parsed = FaultSchema.safeParse(name);
    if (!parsed.success)
      throw new Error(`testbed: unknown fault "${name}"; known faults: ${FAULTS.join(', ')}`);
    return parsed.data;
  });
}

async function endpoint(
  cluster: number,
  dir: string | undefined,
): Promise<{ host: string; port: number; pkiDir: string }> {
  const state = await readState(testbedPaths(dir).state);
  const master = state?.hosts.find((h) => h.cluster === cluster && h.role === 'master');
  if (!master) throw new Error(`testbed: no master host of cluster ${cluster}; bring the testbed up first`);
  return { host: master.address, port: APISERVER_PORT, pkiDir: testbedClusterFiles(cluster, dir).pkiDir };
}

export async function setClusterFaults(
  faults: readonly Fault[],
  options: { cluster?: number; dir?: string } = {},
): Promise<void> {
  await putSimConfig(await endpoint(options.cluster ?? 1, options.dir), { faults: [...new Set(faults)] });
}

export async function setClusterConfig(
  config: Partial<Omit<SimConfig, 'faults'>>,
  options: { cluster?: number; dir?: string } = {},
): Promise<void> {
  await putSimConfig(await endpoint(options.cluster ?? 1, options.dir), config);
}
