// Fetches the one Debian 13 (trixie) package the busybox image is made of: busybox-static 1.37.0.
// Debian 12's busybox 1.35 segfaults in `wget -T 2` on a refused connection (issue 12), so the host's own
// busybox will not do. apt-get runs with a source list, state and cache of its own: nothing of trixie
// touches the host's apt configuration, and the .deb is checked against the pinned sha256 before use.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

export const BUSYBOX_DEB = {
  package: 'busybox-static',
  version: '1:1.37.0-6+b9',
  file: 'busybox-static_1.37.0-6+b9_amd64.deb',
  /** The archive's pool path, the fallback when apt-get cannot be used. */
  url: 'http://deb.debian.org/debian/pool/main/b/busybox/busybox-static_1.37.0-6+b9_amd64.deb',
  sha256: '598a3fd92bdafc34cd81196b2952ad36e910e47a4ecf162f8ce5e8e262598e53',
} as const;

const TRIXIE_SOURCE =
  'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main\n';

export const sha256Of = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

/** The verified .deb in `cacheDir` (downloaded once). Throws when the download or the checksum fails. */
export async function fetchBusyboxDeb(cacheDir: string): Promise<string> {
  const target = join(cacheDir, BUSYBOX_DEB.file);
  if (existsSync(target) && (await sha256Of(target)) === BUSYBOX_DEB.sha256) return target;
  await mkdir(join(cacheDir, 'apt', 'lists', 'partial'), { recursive: true });
  await mkdir(join(cacheDir, 'apt', 'cache', 'archives', 'partial'), { recursive: true });
  const downloaded = (await aptDownload(cacheDir).catch(() => undefined)) ?? (await poolDownload(cacheDir));
  const sum = await sha256Of(downloaded);
  if (sum !== BUSYBOX_DEB.sha256)
    throw new Error(`${downloaded}: sha256 ${sum}, expected ${BUSYBOX_DEB.sha256} (${BUSYBOX_DEB.package})`);
  if (downloaded !== target) await rename(downloaded, target);
  return target;
}

async function aptDownload(cacheDir: string): Promise<string> {
  const apt = join(cacheDir, 'apt');
  const sources = join(apt, 'trixie.list');
  await writeFile(sources, TRIXIE_SOURCE);
  const options = [
    `Dir::Etc::sourcelist=${sources}`,
    'Dir::Etc::sourceparts=-',
    `Dir::State::Lists=${join(apt, 'lists')}`,
    `Dir::Cache=${join(apt, 'cache')}`,
    'APT::Get::List-Cleanup=0',
  ].flatMap((o) => ['-o', o]);
  await execa('apt-get', [...options, 'update'], { timeout: 300_000 });
  await execa('apt-get', [...options, 'download', `${BUSYBOX_DEB.package}=${BUSYBOX_DEB.version}`], {
    cwd: cacheDir,
    timeout: 300_000,
  });
  // apt names the file with the epoch escaped (busybox-static_1%3a1.37.0-...).
  const name = (await readdir(cacheDir)).find((f) => f.startsWith('busybox-static_') && f.endsWith('.deb'));
  if (name === undefined) throw new Error('apt-get download left no busybox-static .deb');
  return join(cacheDir, name);
}

async function poolDownload(cacheDir: string): Promise<string> {
  const response = await fetch(BUSYBOX_DEB.url, { signal: AbortSignal.timeout(300_000) });
  if (!response.ok) throw new Error(`${BUSYBOX_DEB.url}: HTTP ${response.status}`);
  const path = join(cacheDir, `${BUSYBOX_DEB.file}.part`);
  await writeFile(path, Buffer.from(await response.arrayBuffer()));
  return path;
}
