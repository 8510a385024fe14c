// One simulated cluster held in memory by the apiserver process: the controllers run in real time (a
// reconcile after every write and on a timer: every TICK_MS while objects change, backing off to
// IDLE_TICK_MS on an idle cluster, which then costs next to no CPU), the state is saved to its file shortly
// after each change (and on stop), so a restart loses nothing, and every object change becomes a watch event.
import { reconcile } from '../model/controller.ts';
import { touch } from '../model/meta.ts';
import type { ClusterState } from '../model/state.ts';
import type { ApiObject } from '../model/types.ts';
import type { Kubelet } from '../kubelet/kubelet.ts';
import type { Proxier } from '../proxy/proxier.ts';
import { readStateFile, writeStateFile } from '../store.ts';
import { RESOURCES, type ApiResource } from './resources.ts';

export const TICK_MS = 100;
/** The timer's longest interval: what a purely time-driven transition on an idle cluster waits at most
 *  (the kubelet's own reports are writes and settle at once). The real kubelet relists every 1 s too. */
export const IDLE_TICK_MS = 1000;
const SAVE_DELAY_MS = 50;
/** Watch events kept for clients that resume from an older resourceVersion. */
const HISTORY = 2000;

export type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface WatchEvent {
  readonly type: WatchType;
  readonly resource: ApiResource;
  readonly object: ApiObject;
  readonly rv: number;
}
type Listener = (event: WatchEvent) => void;

const keyOf = (r: ApiResource, o: ApiObject): string =>
  `${r.group}/${r.plural}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export class LiveCluster {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private interval = TICK_MS;
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private snapshot = new Map<string, { json: string; resource: ApiResource; object: ApiObject }>();
  private readonly history: WatchEvent[] = [];
  private readonly listeners = new Set<Listener>();
  /** The nodes' kubelet, running the pods as real processes (src/sim/kubelet); until it is attached pods
   *  stay Pending. */
  private kubelet: Kubelet | undefined;
  private proxier: Proxier | undefined;

  private constructor(
    readonly file: string,
    readonly state: ClusterState,
    /** Wall-clock time (tests freeze it to compare tables byte for byte). */
    readonly now: () => number,
  ) {}

  static async open(file: string, now: () => number = Date.now): Promise<LiveCluster> {
    const cluster = new LiveCluster(file, await readStateFile(file), now);
    cluster.settle();
    return cluster;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  /** The next timed settle: soon after a change, then doubling while nothing changes. */
  private schedule(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const changed = this.settle();
      this.interval = changed ? TICK_MS : Math.min(IDLE_TICK_MS, this.interval * 2);
      this.schedule();
    }, this.interval);
  }

  /** Lets `kubelet` run the pods (it adopts what still runs from an earlier process first). */
  async attachKubelet(kubelet: Kubelet): Promise<void> {
    this.kubelet = kubelet;
    await kubelet.start();
    this.settle();
  }

  /** Lets `proxier` write the nodes' kube-proxy rules and routes on every settle. */
  attachProxier(proxier: Proxier): void {
    this.proxier = proxier;
    this.settle();
  }

  get podKubelet(): Kubelet | undefined {
    return this.kubelet;
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.kubelet?.stop();
    await this.proxier?.settled();
    await this.saving;
    await writeStateFile(this.file, this.state);
  }

  /** The oldest resourceVersion a watch can resume from. */
  get oldestRv(): number {
    return this.history[0]?.rv ?? this.state.resourceVersion;
  }

  /** Runs `change` on the state at the current time, then lets the controllers react. */
  mutate<T>(change: (state: ClusterState, now: number) => T): T {
    const result = change(this.state, this.now());
    this.settle();
    // A write starts work (pods to create, grace periods, rollouts): tick fast again from here.
    if (this.interval !== TICK_MS) {
      this.interval = TICK_MS;
      this.schedule();
    }
    return result;
  }

  /** Reconciles to now, turns object changes into watch events, schedules a save when anything changed.
   *  True when an object changed. */
  settle(): boolean {
    reconcile(this.state, this.now());
    this.kubelet?.sync();
    this.proxier?.sync(this.state);
    const next = new Map<string, { json: string; resource: ApiResource; object: ApiObject }>();
    const events: WatchEvent[] = [];
    for (const resource of RESOURCES) {
      if (!resource.stored) continue;
      for (const object of resource.list(this.state)) {
        const key = keyOf(resource, object);
        const before = this.snapshot.get(key);
        let json = JSON.stringify(object);
        if (
          before &&
          before.json !== json &&
          before.object.metadata.resourceVersion === object.metadata.resourceVersion
        ) {
          // A controller changed status without a new resourceVersion: give it one, as etcd would.
          touch(this.state, object.metadata);
          json = JSON.stringify(object);
        }
        next.set(key, { json, resource, object });
        if (!before || before.json !== json)
          events.push({
            type: before ? 'MODIFIED' : 'ADDED',
            resource,
            object: structuredClone(object),
            rv: Number(object.metadata.resourceVersion),
          });
      }
    }
    for (const [key, before] of this.snapshot)
      if (!next.has(key)) {
        const rv = ++this.state.resourceVersion;
        const object = structuredClone(before.object);
        object.metadata.resourceVersion = String(rv);
        events.push({ type: 'DELETED', resource: before.resource, object, rv });
      }
    this.snapshot = next;
    if (events.length === 0) return false;
    events.sort((a, b) => a.rv - b.rv);
    for (const event of events) {
      this.history.push(event);
      for (const listener of this.listeners) listener(event);
    }
    if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
    this.scheduleSave();
    return true;
  }

  /** Events after `rv` (for a watch that resumes), then live ones until the returned function is called. */
  watch(rv: number, listener: Listener): () => void {
    for (const event of this.history) if (event.rv > rv) listener(event);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saving = this.saving
        .then(() => writeStateFile(this.file, this.state))
        .catch((error: unknown) => {
          process.stderr.write(`apiserver: saving ${this.file} failed: ${String(error)}\n`);
        });
    }, SAVE_DELAY_MS);
  }
}
