// The kubelet of every node of one cluster, inside the apiserver process: on every settle it compares the
// pods bound to its nodes with the sandboxes and containers it runs, and acts as the real kubelet's pod
// workers do (pkg/kubelet/pod_workers.go, kuberuntime_manager.go SyncPod): create the sandbox (the pod's
// netns with the IP the model's IPAM gave), pull per imagePullPolicy (a configured delay; an image the
// node holds is not pulled again with IfNotPresent; unknown images fail with ErrImagePull →
// ImagePullBackOff), start the containers, restart them per restartPolicy with the CrashLoopBackOff
// back-off, and on deletion SIGTERM, SIGKILL after the grace period, remove the sandbox, then let the pod
// object go. What it sees it reports into the pod's runtime record (model/pod-status.ts turns that into the
// API status), and it records its events where it acts (events.ts). After an apiserver restart it adopts
// the containers that still run.
import type { PodProcess, StartOptions } from '../apiserver/streams/types.ts';
import type { ContainerReport, PodReport, Terminated } from '../model/pod-report.ts';
import { defaultPullPolicy } from '../model/pods.ts';
import type { ClusterState, StoredPod } from '../model/state.ts';
import type { Container } from '../model/types.ts';
import { backoffMs } from './backoff.ts';
import { containerArgv } from './command.ts';
import {
  addNodeImage,
  KubeletEvents,
  nodeHasImage,
  recordKubeletEvent,
  type KubeletEvent,
} from './events.ts';
import type { NodeHost } from './nodes.ts';
import { podFiles } from './pod-files.ts';
import type { ContainerHandle, KubeletRuntime, SandboxConfig } from './runtime-port.ts';

/** The part of LiveCluster the kubelet uses. */
export interface KubeletHost {
  readonly state: ClusterState;
  now(): number;
  /** Runs `change` on the state, then reconciles (and so calls Kubelet.sync again). */
  mutate(change: (state: ClusterState, now: number) => void): void;
}

export interface KubeletOptions {
  /** Testbed cluster number: pod namespace names carry it (they are global on the machine). */
  readonly cluster: number;
  readonly nodes: readonly NodeHost[];
  readonly runtime: KubeletRuntime;
  readonly log?: (line: string) => void;
}

/** The pod sandbox's network namespace name (docs/simulator.md, the real-pods contract). */
export function sandboxId(cluster: number, podUid: string): string {
  return `lkpod-c${cluster}-${podUid.replace(/-/g, '').slice(0, 12)}`;
}

interface Slot {
  readonly spec: Container;
  report: ContainerReport;
  handle?: ContainerHandle;
  /** Attempt number of the current (or last) run: its log file. */
  attempt: number;
  /** Failed pulls or exits since the last success, for the back-off. */
  failures: number;
  timer?: NodeJS.Timeout;
}

const pullMessage = (image: string): string =>
  `failed to pull and unpack image "${image}": failed to resolve reference "${image}": ` +
  `${image}: not found`;

class PodWorker {
  readonly slots = new Map<string, Slot>();
  sandboxAt: number | undefined;
  terminating = false;
  done = false;
  private killTimer: NodeJS.Timeout | undefined;
  private readonly pendingEvents: { container: string; event: KubeletEvent }[] = [];

  constructor(
    readonly kubelet: Kubelet,
    readonly uid: string,
    readonly sandbox: SandboxConfig,
    readonly pod: StoredPod,
  ) {
    for (const spec of pod.object.spec.containers)
      this.slots.set(spec.name, {
        spec,
        attempt: 0,
        failures: 0,
        report: { name: spec.name, restartCount: 0, state: { kind: 'waiting', reason: 'ContainerCreating' } },
      });
  }

  get policy(): string {
    return this.pod.object.spec.restartPolicy ?? 'Always';
  }

  /** Creates the sandbox, then pulls and starts every container. */
  async start(): Promise<void> {
    const runtime = this.kubelet.runtime;
    await runtime.removeSandbox(this.sandbox.id); // a half-made one from before a crash
    await runtime.runSandbox(this.sandbox);
    this.sandboxAt = this.kubelet.host.now();
    this.publish();
    for (const slot of this.slots.values()) this.pull(slot);
  }

  /** Picks up where the kubelet was before a restart of its process. */
  adopt(report: PodReport, running: Map<string, { attempt: number; handle: ContainerHandle }>): void {
    this.sandboxAt = report.sandboxAt;
    for (const slot of this.slots.values()) {
      const before = report.containers.find((c) => c.name === slot.spec.name);
      if (before) {
        slot.report = before;
        slot.attempt = before.restartCount;
      }
      const alive = running.get(slot.spec.name);
      if (alive) {
        slot.attempt = alive.attempt;
        this.watch(slot, alive.handle);
      } else if (before?.state.kind === 'running') {
        // It ended while nobody watched: its exit code is lost, as a kubelet that lost its runtime state.
        const now = this.kubelet.host.now();
        this.exited(slot, {
          exitCode: 255,
          reason: 'Error',
          startedAt: before.state.startedAt,
          finishedAt: now,
        });
      } else if (before?.state.kind === 'terminated') this.afterExit(slot, before.state);
      else this.pull(slot);
    }
    this.publish();
  }

  /** Records a kubelet event about a container, after the current settle (sync() may be on the stack).
   *  The events of one turn (Created and Started, Failed and BackOff) go in one write: one settle. */
  event(container: string, event: KubeletEvent): void {
    this.pendingEvents.push({ container, event });
    if (this.pendingEvents.length > 1) return;
    const host = this.kubelet.host;
    queueMicrotask(() => {
      const batch = this.pendingEvents.splice(0);
      host.mutate((state, now) => {
        const pod = state.pods.find((p) => p.object.metadata.uid === this.uid)?.object ?? this.pod.object;
        for (const { container: name, event: e } of batch)
          recordKubeletEvent(state, pod, name, e.type, e.reason, e.message, now);
      });
    });
  }

  private waiting(slot: Slot, reason: string, message: string): void {
    slot.report = { ...slot.report, state: { kind: 'waiting', reason, message } };
    this.publish();
  }

  /** The image manager's EnsureImageExists, then the container's start. */
  private pull(slot: Slot): void {
    if (this.terminating) return;
    const { runtime, host } = this.kubelet;
    const name = slot.spec.name;
    const ref = slot.spec.image;
    const node = this.pod.object.spec.nodeName ?? '';
    const image = runtime.image(ref);
    const policy = slot.spec.imagePullPolicy ?? defaultPullPolicy(ref);
    const present = image !== undefined && nodeHasImage(host.state, node, ref);
    if (policy !== 'Always' && present) {
      this.event(name, KubeletEvents.alreadyPresent(ref));
      return void this.run(slot, containerArgv(image, slot.spec));
    }
    if (policy === 'Never') {
      const message = `Container image "${ref}" is not present with pull policy of Never`;
      this.event(name, { type: 'Warning', reason: 'ErrImageNeverPull', message });
      this.event(name, KubeletEvents.failed('ErrImageNeverPull'));
      return this.waiting(slot, 'ErrImageNeverPull', message);
    }
    this.event(name, KubeletEvents.pulling(ref));
    const delay = host.state.config.imagePullDelayMs;
    if (!image) {
      slot.failures += 1;
      this.event(name, KubeletEvents.pullFailed(ref, pullMessage(ref)));
      this.event(name, KubeletEvents.failed('ErrImagePull'));
      this.waiting(slot, 'ErrImagePull', pullMessage(ref));
      // kubelet: ErrImagePull on the attempt, ImagePullBackOff while it waits for the next one.
      slot.timer = setTimeout(
        () => {
          this.event(name, KubeletEvents.pullBackOff(ref));
          this.event(name, KubeletEvents.failed('ImagePullBackOff'));
          this.waiting(slot, 'ImagePullBackOff', `Back-off pulling image "${ref}"`);
          slot.timer = setTimeout(() => this.pull(slot), backoffMs(slot.failures));
        },
        Math.max(delay, 500),
      );
      return;
    }
    slot.timer = setTimeout(() => {
      host.mutate((state) => addNodeImage(state, node, ref));
      this.event(name, KubeletEvents.pulled(ref, delay));
      void this.run(slot, containerArgv(image, slot.spec));
    }, delay);
  }

  private async run(slot: Slot, argv: string[]): Promise<void> {
    if (this.terminating) return;
    const { runtime, host } = this.kubelet;
    const stored = this.kubelet.podByUid(this.uid);
    try {
      const handle = await runtime.startContainer(this.sandbox, {
        name: slot.spec.name,
        image: slot.spec.image,
        argv,
        env: stored?.runtime.env ?? this.pod.runtime.env,
        tty: slot.spec.tty === true,
        stdin: slot.spec.stdin === true,
        stdinOnce: (slot.spec as { stdinOnce?: boolean }).stdinOnce === true,
        attempt: slot.attempt,
      });
      this.event(slot.spec.name, KubeletEvents.created(slot.spec.name));
      this.event(slot.spec.name, KubeletEvents.started(slot.spec.name));
      if (this.terminating) handle.signal('SIGKILL');
      this.watch(slot, handle);
    } catch (error) {
      // containerd's StartError: the command does not exist in the image (exit code 128).
      const now = host.now();
      this.kubelet.log(`pod ${this.sandbox.namespace}/${this.sandbox.podName}: ${String(error)}`);
      this.event(slot.spec.name, KubeletEvents.created(slot.spec.name));
      this.event(
        slot.spec.name,
        KubeletEvents.failed(error instanceof Error ? error.message : String(error)),
      );
      this.exited(slot, { exitCode: 128, reason: 'StartError', startedAt: now, finishedAt: now });
    }
  }

  private watch(slot: Slot, handle: ContainerHandle): void {
    slot.handle = handle;
    slot.report = {
      ...slot.report,
      state: { kind: 'running', startedAt: handle.startedAt },
      containerID: `labkit://${handle.id}`,
    };
    this.publish();
    void handle.exit.then((exit) => {
      if (slot.handle !== handle) return;
      slot.handle = undefined;
      const code = exit.code;
      this.exited(slot, {
        exitCode: code,
        reason: code === 0 ? 'Completed' : 'Error',
        ...(exit.signal ? { signal: code - 128 } : {}),
        startedAt: handle.startedAt,
        finishedAt: this.kubelet.host.now(),
      });
    });
  }

  private exited(slot: Slot, terminated: Terminated): void {
    slot.report = { ...slot.report, state: { kind: 'terminated', ...terminated } };
    if (this.terminating) return void this.maybeStopped();
    this.afterExit(slot, terminated);
    this.publish();
  }

  /** restartPolicy: Always restarts every exit, OnFailure a non-zero one, Never none. */
  private afterExit(slot: Slot, terminated: Terminated): void {
    const restart = this.policy === 'Always' || (this.policy === 'OnFailure' && terminated.exitCode !== 0);
    if (!restart) return;
    slot.failures += 1;
    // The first restart is immediate; then 10 s, 20 s, ... 5 min (the back-off's key exists from then on).
    const wait = backoffMs(slot.failures - 1);
    const next = (): void => {
      slot.report = {
        ...slot.report,
        restartCount: slot.report.restartCount + 1,
        lastTerminated: terminated,
      };
      slot.attempt += 1;
      this.pull(slot);
    };
    if (wait === 0) return next();
    this.event(slot.spec.name, KubeletEvents.restartBackOff(slot.spec.name, this.pod.object));
    slot.report = {
      ...slot.report,
      lastTerminated: terminated,
      state: {
        kind: 'waiting',
        reason: 'CrashLoopBackOff',
        message: `back-off ${Math.round(wait / 1000)}s restarting failed container=${slot.spec.name} pod=${this.sandbox.podName}_${this.sandbox.namespace}(${this.uid})`,
      },
    };
    slot.timer = setTimeout(() => {
      slot.report = { ...slot.report, restartCount: slot.report.restartCount + 1 };
      slot.attempt += 1;
      this.pull(slot);
    }, wait);
  }

  /** The pod's report: every container's state, and whether the pod has finished for good. */
  private report(): PodReport | undefined {
    if (this.sandboxAt === undefined) return undefined;
    const containers = [...this.slots.values()].map((s) => s.report);
    const terminated = containers.flatMap((c) => (c.state.kind === 'terminated' ? [c.state] : []));
    const allDone = terminated.length === containers.length;
    const restarting =
      this.policy === 'Always' || (this.policy === 'OnFailure' && terminated.some((t) => t.exitCode !== 0));
    const finished =
      allDone && !restarting
        ? terminated.every((t) => t.exitCode === 0)
          ? 'Succeeded'
          : 'Failed'
        : undefined;
    return { sandboxAt: this.sandboxAt, containers, ...(finished ? { finished } : {}) };
  }

  publish(): void {
    const report = this.report();
    if (!report || this.done) return;
    this.kubelet.host.mutate((state) => {
      const pod = state.pods.find((p) => p.object.metadata.uid === this.uid);
      if (pod && !pod.object.metadata.deletionTimestamp) pod.runtime.kubelet = structuredClone(report);
    });
  }

  /** Deletion: SIGTERM every container, SIGKILL after `graceMs`, then the sandbox goes, then the pod. */
  terminate(graceMs: number): void {
    if (this.terminating) return;
    this.terminating = true;
    for (const slot of this.slots.values()) {
      if (slot.timer) clearTimeout(slot.timer);
      if (!slot.handle) continue;
      this.event(slot.spec.name, KubeletEvents.killing(slot.spec.name));
      slot.handle.signal(graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
    }
    if (graceMs > 0)
      this.killTimer = setTimeout(() => {
        for (const slot of this.slots.values()) slot.handle?.signal('SIGKILL');
      }, graceMs);
    this.maybeStopped();
  }

  private maybeStopped(): void {
    if (this.done || [...this.slots.values()].some((s) => s.handle)) return;
    this.done = true;
    if (this.killTimer) clearTimeout(this.killTimer);
    void this.kubelet.removed(this);
  }
}

export class Kubelet {
  private readonly workers = new Map<string, PodWorker>();
  private readonly nodes: Map<string, NodeHost>;
  private ready = false;
  /** Sandboxes being removed (a pod's namespace name is reused by no other pod, but keep them apart). */
  private readonly removing = new Set<Promise<void>>();

  constructor(
    readonly host: KubeletHost,
    private readonly options: KubeletOptions,
  ) {
    this.nodes = new Map(options.nodes.map((n) => [n.name, n]));
  }

  get runtime(): KubeletRuntime {
    return this.options.runtime;
  }

  log(line: string): void {
    this.options.log?.(`kubelet: ${line}`);
  }

  podByUid(uid: string): StoredPod | undefined {
    return this.host.state.pods.find((p) => p.object.metadata.uid === uid);
  }

  /** Adopts what still runs from before a restart, removes what belongs to no pod, then starts syncing. */
  async start(): Promise<void> {
    const [sandboxes, running] = await Promise.all([
      this.runtime.listSandboxes(),
      this.runtime.listContainers(),
    ]);
    const pods = new Map(
      this.host.state.pods.map((p) => [sandboxId(this.options.cluster, p.object.metadata.uid), p]),
    );
    for (const id of sandboxes) {
      const pod = pods.get(id);
      const report = pod?.runtime.kubelet;
      if (!pod || !report || pod.object.metadata.deletionTimestamp) {
        for (const c of running) if (c.sandboxId === id) c.handle.signal('SIGKILL');
        await this.runtime.removeSandbox(id);
        if (pod && pod.object.metadata.deletionTimestamp) this.gone(pod.object.metadata.uid);
        continue;
      }
      const worker = this.worker(pod);
      if (!worker) continue;
      const mine = new Map(
        running
          .filter((c) => c.sandboxId === id)
          .map((c) => [c.name, { attempt: c.attempt, handle: c.handle }]),
      );
      worker.adopt(report, mine);
    }
    // Pods whose sandbox vanished (e.g. the machine rebooted in between) are created again, as new; a
    // finished one keeps its last report.
    const existing = new Set(sandboxes);
    this.host.mutate((state) => {
      for (const pod of state.pods) {
        const id = sandboxId(this.options.cluster, pod.object.metadata.uid);
        if (pod.runtime.kubelet && !pod.runtime.kubelet.finished && !existing.has(id))
          Reflect.deleteProperty(pod.runtime, 'kubelet');
      }
    });
    this.ready = true;
    this.sync();
  }

  private worker(pod: StoredPod): PodWorker | undefined {
    const uid = pod.object.metadata.uid;
    const existing = this.workers.get(uid);
    if (existing) return existing;
    const node = this.nodes.get(pod.object.spec.nodeName ?? '');
    if (!node) return undefined;
    const name = pod.object.metadata.name;
    const namespace = pod.object.metadata.namespace ?? 'default';
    const sandbox: SandboxConfig = {
      id: sandboxId(this.options.cluster, uid),
      podUid: uid,
      podName: name,
      namespace,
      ip: pod.runtime.ip,
      nodeNetns: node.netns,
      files: podFiles(name, namespace, pod.runtime.ip, this.host.state.cluster.dnsIP),
    };
    const worker = new PodWorker(this, uid, sandbox, pod);
    this.workers.set(uid, worker);
    return worker;
  }

  /** Compares the pods bound to the nodes with what runs, and acts. Synchronous: the work is async. */
  sync(): void {
    if (!this.ready) return;
    const present = new Set<string>();
    for (const pod of this.host.state.pods) {
      const uid = pod.object.metadata.uid;
      present.add(uid);
      const known = this.workers.get(uid);
      if (pod.object.metadata.deletionTimestamp) {
        const grace =
          pod.runtime.goneAt !== undefined
            ? pod.runtime.goneAt - this.host.now()
            : (pod.object.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
        if (known) known.terminate(Math.max(0, grace));
        else this.gone(uid);
        continue;
      }
      if (known || pod.runtime.kubelet?.finished) continue;
      const worker = this.worker(pod);
      if (!worker) continue;
      worker.start().catch((error: unknown) => {
        this.log(
          `pod ${pod.object.metadata.namespace ?? 'default'}/${pod.object.metadata.name}: sandbox: ${String(error)}`,
        );
        this.workers.delete(uid); // retried on a later sync
      });
    }
    // Pods removed at once (grace 0, garbage collection): kill what is left of them.
    for (const [uid, worker] of this.workers) if (!present.has(uid)) worker.terminate(0);
  }

  /** The worker has stopped every container: remove the sandbox, then the pod object may go. */
  async removed(worker: PodWorker): Promise<void> {
    const removal = this.runtime.removeSandbox(worker.sandbox.id).catch((error: unknown) => {
      this.log(`removing sandbox ${worker.sandbox.id}: ${String(error)}`);
    });
    this.removing.add(removal);
    await removal;
    this.removing.delete(removal);
    this.workers.delete(worker.uid);
    this.gone(worker.uid);
  }

  private gone(uid: string): void {
    const pod = this.podByUid(uid);
    if (!pod?.object.metadata.deletionTimestamp) return;
    if (pod.runtime.goneAt !== undefined && pod.runtime.goneAt <= this.host.now()) return;
    // Not inside the settle that called sync(): the next turn removes the object.
    queueMicrotask(() =>
      this.host.mutate((state, now) => {
        const p = state.pods.find((q) => q.object.metadata.uid === uid);
        if (p?.object.metadata.deletionTimestamp) p.runtime.goneAt = Math.min(p.runtime.goneAt ?? now, now);
      }),
    );
  }

  /** The sandbox and attempt of a pod's container, for exec, attach and logs. */
  container(
    pod: StoredPod,
    name: string,
  ): { sandboxId: string; attempt: number; running: boolean } | undefined {
    const worker = this.workers.get(pod.object.metadata.uid);
    const slot = worker?.slots.get(name);
    if (!worker || !slot) return undefined;
    return { sandboxId: worker.sandbox.id, attempt: slot.attempt, running: slot.handle !== undefined };
  }

  exec(
    pod: StoredPod,
    container: string,
    argv: readonly string[],
    options: StartOptions,
  ): Promise<PodProcess> {
    return this.runtime.exec(
      sandboxId(this.options.cluster, pod.object.metadata.uid),
      container,
      argv,
      options,
    );
  }

  attach(pod: StoredPod, container: string, options: StartOptions): Promise<PodProcess> {
    return this.runtime.attach(sandboxId(this.options.cluster, pod.object.metadata.uid), container, options);
  }

  /** The log file of a container's current (or, with `previous`, last) attempt. */
  logFile(pod: StoredPod, container: string, previous: boolean): string | undefined {
    const c = this.container(pod, container);
    if (!c) return undefined;
    const attempt = previous ? c.attempt - 1 : c.attempt;
    if (attempt < 0) return undefined;
    return this.runtime.logFile(c.sandboxId, container, attempt);
  }

  /** Stops syncing (the containers keep running: the next process adopts them). */
  async stop(): Promise<void> {
    this.ready = false;
    await Promise.all([...this.removing]);
  }
}
