// exec and attach on the simulated kube-apiserver: finds the pod and container of an upgrade request and
// hands streams/ a target whose process runs in the pod shell, or with real pods in the container runtime
// through the node's kubelet. exec starts the requested command; attach
// joins the container's main process (`kubectl run -i`), started on first attach, whose exit completes
// the pod (Completed / Error) as the kubelet would report it.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { findPod } from '../model/pods.ts';
import { podContext } from '../pod-shell.ts';
import type { LiveCluster } from './live-cluster.ts';
import {
  failureStatus,
  handleStreamUpgrade,
  rejectStreamUpgrade,
  shellRuntime,
  streamRequestOrReject,
  type PodProcess,
  type StreamTarget,
} from './streams/index.ts';

export function podStreamUpgrade(
  cluster: LiveCluster,
  authenticate: (req: IncomingMessage) => boolean,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  /** Main processes of attached pods, by pod uid (a second attach joins the same process). */
  const mains = new Map<string, Promise<PodProcess>>();
  return (req, socket, head) => {
    if (!authenticate(req))
      return rejectStreamUpgrade(
        socket,
        failureStatus(
          403,
          'Forbidden',
          'forbidden: User "system:anonymous" cannot create resource "pods/exec"',
        ),
      );
    const request = streamRequestOrReject(req, socket);
    if (!request) return;
    const pod = findPod(cluster.state, request.namespace, request.pod);
    if (!pod)
      return rejectStreamUpgrade(socket, failureStatus(404, 'NotFound', `pods "${request.pod}" not found`));
    const container = request.container
      ? pod.object.spec.containers.find((c) => c.name === request.container)
      : pod.object.spec.containers[0];
    if (!container)
      return rejectStreamUpgrade(
        socket,
        failureStatus(
          400,
          'BadRequest',
          `container ${request.container ?? ''} is not valid for pod ${request.pod}`,
        ),
      );
    if (pod.object.status.phase !== 'Running')
      return rejectStreamUpgrade(
        socket,
        failureStatus(
          400,
          'BadRequest',
          pod.object.status.phase === 'Pending'
            ? `pod ${request.pod} does not have a host assigned`
            : `cannot exec into a container in a completed pod; current phase is ${pod.object.status.phase ?? 'Unknown'}`,
        ),
      );
    const kubelet = cluster.podKubelet;
    if (kubelet) {
      // Real pods: the container runtime's processes (src/sim/kubelet, src/sim/runtime).
      const name = container.name;
      const real: StreamTarget =
        request.kind === 'exec'
          ? {
              request,
              ownsProcess: true,
              open: () =>
                kubelet.exec(pod, name, request.command, { tty: request.tty, stdin: request.stdin }),
            }
          : {
              request,
              ownsProcess: false,
              open: () => kubelet.attach(pod, name, { tty: request.tty, stdin: request.stdin }),
            };
      return handleStreamUpgrade(req, socket, head, real);
    }
    const runtime = shellRuntime(
      podContext(cluster.state, pod, (change) => Promise.resolve(cluster.mutate(change))),
    );
    const uid = pod.object.metadata.uid;
    const req0 = request;
    const target: StreamTarget =
      request.kind === 'exec'
        ? {
            request,
            ownsProcess: true,
            open: () => runtime.start(req0.command, { tty: req0.tty, stdin: req0.stdin }),
          }
        : {
            request,
            ownsProcess: false,
            open: () => {
              let main = mains.get(uid);
              if (!main) {
                const c = container as {
                  command?: string[];
                  args?: string[];
                  tty?: boolean;
                  stdin?: boolean;
                };
                const argv = [...(c.command ?? []), ...(c.args ?? [])];
                main = runtime.start(argv.length ? argv : ['sh'], {
                  tty: c.tty === true,
                  stdin: c.stdin === true,
                });
                mains.set(uid, main);
                void main.then((p) =>
                  p.exit.then((exit) => {
                    cluster.mutate((state, now) => {
                      const stored = findPod(state, req0.namespace, req0.pod);
                      if (!stored || stored.object.metadata.uid !== uid) return;
                      Reflect.deleteProperty(stored.runtime, 'attached');
                      stored.runtime.script = {
                        argv,
                        state: 'done',
                        exitCode: exit.code,
                        durationMs: Math.max(0, now - stored.runtime.startAt),
                      };
                    });
                    mains.delete(uid);
                  }),
                );
              }
              return main;
            },
          };
    handleStreamUpgrade(req, socket, head, target);
  };
}
