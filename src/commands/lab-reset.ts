// `lab reset LAB`: run the lab's cleanup on the target and forget its lab memory there.
import { clearClusterMemory } from '../lab/cluster-memory.ts';
import { FileLabMemory, memoryPath } from '../lab/memory.ts';
import { resetLab } from '../lab/reset.ts';
import { EXIT } from '../util/exit-codes.ts';
import { defaultStateDir } from './lab-env.ts';
import { loadLab } from './lab-run.ts';
import { selectTarget } from './lab-target.ts';

export async function labResetCommand(
  ref: string,
  options: { inventory?: string; target?: string; config?: string },
): Promise<number> {
  const spec = await loadLab(ref);
  const stateDir = defaultStateDir();
  const selected = await selectTarget({ ...options, stateDir });
  try {
    const memory = FileLabMemory.open(memoryPath(stateDir, spec.name, selected.memoryId));
    const outcome = await resetLab(spec, {
      target: selected.target,
      memory,
      localEnv: process.env,
      namespace: spec.namespace,
      controlPlane: spec.controlPlane,
      commandTimeoutMs: spec.commandTimeoutMs,
    });
    memory.clear();
    const host = selected.target.resolveHost(spec.controlPlane);
    await clearClusterMemory(spec.name, (command, options) =>
      selected.target.executor.exec(host, command, { timeoutMs: spec.commandTimeoutMs, ...options }),
    );
    process.stdout.write(
      `lab ${spec.name}: reset on ${selected.description}\n${outcome.lines.join('\n')}\nlab memory cleared\n`,
    );
    return outcome.ok ? EXIT.ok : EXIT.checkFailed;
  } finally {
    await selected.target.close();
  }
}
