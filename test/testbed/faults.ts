// Switching faults (and timing) of a running testbed's simulated cluster, for e2e tests:
// `await setClusterFaults(['blackhole-endpoint'])` … `await setClusterFaults([])`.
import { FAULTS, FaultSchema, type Fault, type SimConfig } from '../../src/sim/model/state.ts';
import { updateState } from '../../src/sim/store.ts';
import { testbedClusterFiles } from './cluster.ts';

export { FAULTS, type Fault };

export function parseFaults(names: readonly string[]): Fault[] {
  return names.map((name) => {
    const parsed = FaultSchema.safeParse(name);
    if (!parsed.success)
      throw new Error(`testbed: unknown fault "${name}"; known faults: ${FAULTS.join(', ')}`);
    return parsed.data;
  });
}

export async function setClusterFaults(
  faults: readonly Fault[],
  options: { cluster?: number; dir?: string } = {},
): Promise<void> {
  const file = testbedClusterFiles(options.cluster ?? 1, options.dir).stateFile;
  await updateState(file, (state) => {
    state.config.faults = [...new Set(faults)];
  });
}

export async function setClusterConfig(
  config: Partial<Omit<SimConfig, 'faults'>>,
  options: { cluster?: number; dir?: string } = {},
): Promise<void> {
  const file = testbedClusterFiles(options.cluster ?? 1, options.dir).stateFile;
  await updateState(file, (state) => {
    Object.assign(state.config, config);
  });
}
