// The "container runtime" for pods that run a command (busybox `kubectl run ... -- sh -c '...'`): the
// first kubectl invocation after such a pod starts runs its command to completion in simulated time and
// records the output (kubectl logs), the exit code and how long it ran, so the pod shows Running, then
// Completed/Error (or CrashLoopBackOff with restartPolicy Always) at the right moments.
import { findPod } from '../model/pods.ts';
import { podContext, runPodCommand } from '../pod-shell.ts';
import { updateState } from '../store.ts';
import { clusterAccess } from './exec.ts';

export async function runDuePodScripts(stateFile: string): Promise<void> {
  const due = await updateState(stateFile, (state, now) => {
    const pods = state.pods.filter(
      (p) =>
        p.runtime.script?.state === 'pending' &&
        now >= p.runtime.startAt &&
        !p.object.metadata.deletionTimestamp,
    );
    for (const p of pods) if (p.runtime.script) p.runtime.script.state = 'running';
    return pods.length ? structuredClone({ state, pods }) : undefined;
  });
  if (!due) return;
  for (const pod of due.pods) {
    const argv = pod.runtime.script?.argv ?? [];
    const result = await runPodCommand(podContext(due.state, pod, clusterAccess(stateFile)), argv);
    await updateState(stateFile, (state) => {
      const stored = findPod(state, pod.object.metadata.namespace ?? 'default', pod.object.metadata.name);
      if (!stored || stored.object.metadata.uid !== pod.object.metadata.uid) return;
      stored.runtime.script = {
        argv,
        state: 'done',
        exitCode: result.exitCode,
        durationMs: result.durationMs,
      };
      stored.runtime.logs = result.output;
    });
  }
}
