// What the kubelet reports about a pod (src/sim/kubelet writes it into the pod's runtime record; the state
// schema validates it). model/pod-status.ts turns it into the pod's API status.
import { z } from 'zod';

export const TerminatedSchema = z.object({
  exitCode: z.number(),
  /** Completed / Error / OOMKilled, as the kubelet words them. */
  reason: z.string(),
  signal: z.number().optional(),
  startedAt: z.number(),
  finishedAt: z.number(),
});
export type Terminated = z.infer<typeof TerminatedSchema>;

export const ContainerReportSchema = z.object({
  name: z.string(),
  state: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('waiting'), reason: z.string(), message: z.string().optional() }),
    z.object({ kind: z.literal('running'), startedAt: z.number() }),
    z.object({ kind: z.literal('terminated'), ...TerminatedSchema.shape }),
  ]),
  restartCount: z.number().int().min(0),
  lastTerminated: TerminatedSchema.optional(),
  imageID: z.string().optional(),
  containerID: z.string().optional(),
});
export type ContainerReport = z.infer<typeof ContainerReportSchema>;

export const PodReportSchema = z.object({
  /** When the sandbox (network, IP) was ready: status.podIP shows the address from then on. */
  sandboxAt: z.number(),
  containers: z.array(ContainerReportSchema),
  /** Set once the pod will never run again (restartPolicy Never / OnFailure after success). */
  finished: z.enum(['Succeeded', 'Failed']).optional(),
});
export type PodReport = z.infer<typeof PodReportSchema>;
