// Files in the grading folder are replaced whole: written to a temp file beside the target, flushed to disk,
// then renamed over it (rename is atomic on one filesystem), so a reader or a `kill -9` never sees half a
// file. A temp file left by a killed run is removed by the next one (removeStaleTemps).
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const TEMP = /^\..+\.labkit-tmp$/;

export async function writeFileAtomic(path: string, text: string, mode = 0o644): Promise<void> {
  const tmp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.labkit-tmp`,
  );
  const handle = await open(tmp, 'w', mode);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Removes temp files a killed run left in `dir`. */
export async function removeStaleTemps(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(entries.filter((e) => TEMP.test(e)).map((e) => rm(join(dir, e), { force: true })));
}
