// exec and attach on the simulated kube-apiserver: finds the pod and container of an upgrade request and
// hands streams/ a target whose process runs in the container runtime through the node's kubelet. exec
// starts the requested command; attach joins the container's main process (`kubectl run -i`).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { findPod } from '../model/pods.ts';
import type { LiveCluster } from './live-cluster.ts';
import {
  failureStatus,
  handleStreamUpgrade,
  rejectStreamUpgrade,
  streamRequestOrReject,
  type StreamTarget,
} from './streams/index.ts';

export function podStreamUpgrade(
  cluster: LiveCluster,
  authenticate: (req: IncomingMessage) => boolean,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
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
    if (!kubelet)
      return rejectStreamUpgrade(
        socket,
        failureStatus(500, 'InternalError', `no kubelet runs the pods of this cluster`),
      );
    // The container runtime's processes (src/sim/kubelet, src/sim/runtime).
    const name = container.name;
    const target: StreamTarget =
      request.kind === 'exec'
        ? {
            request,
            ownsProcess: true,
            open: () => kubelet.exec(pod, name, request.command, { tty: request.tty, stdin: request.stdin }),
          }
        : {
            request,
            ownsProcess: false,
            open: () => kubelet.attach(pod, name, { tty: request.tty, stdin: request.stdin }),
          };
    handleStreamUpgrade(req, socket, head, target);
  };
}
