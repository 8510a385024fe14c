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

/** What `testbed up --fault` asked for: faults of every cluster (`--fault NAME`) and of one cluster only
 *  (`--fault c2=NAME`), on top of the former. */
export interface FaultFlags {
  readonly all: readonly Fault[];
  readonly byCluster: Readonly<Record<number, readonly Fault[]>>;
}

/** Parses the `--fault` values of `testbed up --clusters <clusters>`. */
export function parseFaultFlags(values: readonly string[], clusters: number): FaultFlags {
  const all: Fault[] = [];
  const byCluster: Record<number, Fault[]> = {};
  for (const value of values) {
    const m = /^(?:c(\d+)=)?(.*)$/.exec(value);
    const name = m?.[2] ?? value;
    const parsed = FaultSchema.safeParse(name);
    if (!parsed.success)
      throw new Error(
        `testbed: --fault ${value}: unknown fault "${name}"; known faults: ${FAULTS.join(', ')} (a cluster's own: --fault cN=NAME)`,
      );
    const cluster = m?.[1] === undefined ? undefined : Number(m[1]);
    if (cluster === undefined) all.push(parsed.data);
    else if (cluster < 1 || cluster > clusters)
      throw new Error(
        `testbed: --fault ${value}: no cluster ${cluster}; with --clusters ${clusters} the clusters are ${Array.from({ length: clusters }, (_, i) => `c${i + 1}`).join(', ')}`,
      );
    else (byCluster[cluster] ??= []).push(parsed.data);
  }
  return { all: [...new Set(all)], byCluster };
}

/** The faults cluster `cluster` runs with. */
export function faultsOf(flags: FaultFlags, cluster: number): Fault[] {
  return [...new Set([...flags.all, ...(flags.byCluster[cluster] ?? [])])];
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
