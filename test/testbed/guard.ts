// Preconditions shared by every testbed command: Linux, root, the tools installed, one operation at a time.
import { open, readFile, rm } from 'node:fs/promises';
import { missingPrograms } from './install.ts';
import { LOCK_FILE } from './paths.ts';
import { isAlive } from './processes.ts';

/** Throws a message saying what is needed when not root on Linux. */
export function assertLinuxRoot(): void {
  if (process.platform !== 'linux')
    throw new Error(
      `the testbed needs Linux (network namespaces, veth, a bridge); this is ${process.platform}`,
    );
  if (process.getuid?.() !== 0)
    throw new Error(
      'the testbed needs root (it creates network namespaces, a bridge and users, and runs sshd on port 22): run it as root, as CI does (.ci/run)',
    );
}

export async function assertProgramsInstalled(): Promise<void> {
  const missing = await missingPrograms();
  if (missing.length > 0)
    throw new Error(
      `the testbed needs ${missing.join(', ')}: run \`npx tsx test/testbed/cli.ts install\` (apt-get openssh-server iproute2 sudo ...)`,
    );
}

const LOCK_PATH = `${LOCK_FILE}.pid`;

/** Runs `fn` holding a machine-wide lock (a pid file; a dead holder's lock is taken over). */
export async function withTestbedLock<T>(fn: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(LOCK_PATH, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(LOCK_PATH, 'utf8').catch(() => '')).trim());
      if (!Number.isInteger(holder) || holder <= 0 || holder === process.pid || !(await isAlive(holder))) {
        await rm(LOCK_PATH, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`testbed: another testbed command (pid ${holder}) holds ${LOCK_PATH}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(LOCK_PATH, { force: true });
  }
}
