// Lab memory mirrored on the cluster itself (a file in the SSH user's home on the control plane, named by the
// cluster's kube-system uid), so whoever checks a cluster sees what earlier runs on it recorded: a student's
// `lab check` on their laptop records the pods of step 3, the instructor's `lab grade` finds them for step 4.
// The uid in the name keeps clusters apart where hosts share a filesystem (the testbed) and forgets the
// memory of a rebuilt cluster. The local memory stays the first copy; the cluster's copy wins when both exist.
import { z } from 'zod';
import { probeClusterIdentity } from '../cluster/identity.ts';
import type { LabMemory } from '../checks/types.ts';
import type { ExecResult, RemoteCommand } from '../ssh/types.ts';
import { memoryFileName } from './memory.ts';

export interface MemoryStore {
  read(): Promise<Record<string, string>>;
  write(entries: Readonly<Record<string, string>>): Promise<void>;
  remove(): Promise<void>;
}

const DIR = '.labkit/memory';
const entriesSchema = z.record(z.string(), z.string());

type Exec = (
  command: RemoteCommand,
  options: { stdin?: string; env?: Record<string, string> },
) => Promise<ExecResult>;

/** The memory file of `lab` on the cluster with this kube-system uid, through `exec` on the control plane. */
export function clusterMemoryStore(exec: Exec, lab: string, clusterUid: string): MemoryStore {
  // Paths go in as env values (quoted by the SSH layer), never spliced into the script.
  const env = { LABKIT_MEM_DIR: DIR, LABKIT_MEM_FILE: `${DIR}/${memoryFileName(lab, clusterUid)}` };
  return {
    async read() {
      const r = await exec({ script: 'cat "$LABKIT_MEM_FILE" 2>/dev/null || true' }, { env });
      try {
        const parsed = entriesSchema.safeParse(JSON.parse(r.stdout));
        return parsed.success ? parsed.data : {};
      } catch {
        return {};
      }
    },
    async write(entries) {
      await exec(
        {
          script:
            'umask 077 && mkdir -p "$LABKIT_MEM_DIR" && cat > "$LABKIT_MEM_FILE.tmp" && mv -f "$LABKIT_MEM_FILE.tmp" "$LABKIT_MEM_FILE"',
        },
        { env, stdin: `${JSON.stringify(entries, null, 2)}\n` },
      );
    },
    async remove() {
      await exec({ script: 'rm -f "$LABKIT_MEM_FILE"' }, { env });
    },
  };
}

/** A LabMemory over `inner` that also keeps the cluster's copy: seeded from it, written back by flush(). */
export class MirroredMemory implements LabMemory {
  private readonly mirrored = new Map<string, string>();
  private dirty = false;

  private constructor(
    private readonly inner: LabMemory,
    private readonly store: MemoryStore,
  ) {}

  static async open(inner: LabMemory, store: MemoryStore): Promise<MirroredMemory> {
    const memory = new MirroredMemory(inner, store);
    for (const [key, value] of Object.entries(await store.read())) {
      memory.mirrored.set(key, value);
      if (inner.get(key) !== value) inner.set(key, value);
    }
    return memory;
  }

  get(key: string): string | undefined {
    return this.inner.get(key);
  }

  set(key: string, value: string): void {
    this.inner.set(key, value);
    this.mirrored.set(key, value);
    this.dirty = true;
  }

  /** Writes the cluster's copy if anything changed since the last flush. */
  async flush(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    await this.store.write(Object.fromEntries(this.mirrored));
  }
}

/** `lab reset`: removes the cluster's copy too (found through the cluster's identity); false when the cluster
 *  has no readable identity, so there is no copy to remove. */
export async function clearClusterMemory(
  lab: string,
  exec: (
    command: RemoteCommand,
    options: { stdin?: string; env?: Record<string, string> },
  ) => Promise<ExecResult>,
): Promise<boolean> {
  const cluster = await probeClusterIdentity((args) => exec({ argv: ['kubectl', ...args] }, {}));
  if (cluster.kubeSystemUid === null) return false;
  await clusterMemoryStore(exec, lab, cluster.kubeSystemUid).remove();
  return true;
}
