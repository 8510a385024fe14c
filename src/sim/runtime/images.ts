// The images the simulated lab can run, built once into a directory: a busybox root (Debian 13's
// busybox-static with its applets as symlinks, as docker.io/busybox ships them) and the echo-hostname
// server on top of it. A built image carries a stamp with the .deb's sha256 and the build version, so a
// second build reuses it. Every other image reference is "not found": the kubelet reports ErrImagePull.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { echoHostnamePage } from './echo-page.ts';
import { BUSYBOX_DEB, fetchBusyboxDeb } from './busybox-deb.ts';

/** Bumped when the layout of a built image changes, so old builds are rebuilt. */
const BUILD_VERSION = 2;
const STAMP = `${BUSYBOX_DEB.sha256} v${BUILD_VERSION}\n`;

export interface Image {
  /** The reference as the pod spec gave it. */
  readonly reference: string;
  readonly name: 'busybox' | 'echo-hostname';
  /** The image's root filesystem (read-only for pods: each container gets an overlay on top). */
  readonly rootfs: string;
  /** The image config's ENTRYPOINT and CMD. */
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  /** The image config's Env (PATH), before the container's own. */
  readonly env: readonly (readonly [string, string])[];
}

export type ImageLookup =
  | { readonly kind: 'found'; readonly image: Image }
  | { readonly kind: 'not-found'; readonly reference: string; readonly message: string };

const PATH: readonly [string, string] = [
  'PATH',
  '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
];
const ECHO_ENTRYPOINT = '/usr/local/bin/echo-hostname';
const ECHO_DIR = '/usr/share/echo-hostname';

/** `docker.io/busybox`, `busybox:1.36`, `library/busybox@sha256:…`: the repository part, normalized. */
export function repositoryOf(reference: string): string {
  let ref = reference.trim();
  const digest = ref.indexOf('@');
  if (digest >= 0) ref = ref.slice(0, digest);
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const tag = colon > slash ? ref.slice(colon + 1) : undefined;
  if (colon > slash) ref = ref.slice(0, colon);
  const parts = ref.split('/');
  const first = parts[0] ?? '';
  if (parts.length === 1 || !(first.includes('.') || first.includes(':') || first === 'localhost'))
    parts.unshift('docker.io');
  if (parts[0] === 'docker.io' && parts.length === 2) parts.splice(1, 0, 'library');
  return tag === undefined ? parts.join('/') : `${parts.join('/')}:${tag}`;
}

/** Which built image a pod's `image:` names. */
export function lookupImage(imagesDir: string, reference: string): ImageLookup {
  const repo = repositoryOf(reference);
  const untagged = repo.replace(/:[^/]*$/, '');
  if (untagged === 'docker.io/library/busybox') return found(reference, 'busybox', imagesDir, [], ['sh']);
  if (repo === 'docker.io/alicek106/rr-test:echo-hostname')
    return found(reference, 'echo-hostname', imagesDir, [ECHO_ENTRYPOINT], []);
  return {
    kind: 'not-found',
    reference,
    // containerd's words when a registry has no such image (the kubelet prefixes "Failed to pull image").
    message: `rpc error: code = NotFound desc = failed to pull and unpack image "${repo.includes(':') ? repo : `${repo}:latest`}": failed to resolve reference "${repo.includes(':') ? repo : `${repo}:latest`}": not found`,
  };
}

function found(
  reference: string,
  name: Image['name'],
  imagesDir: string,
  entrypoint: string[],
  cmd: string[],
): ImageLookup {
  return {
    kind: 'found',
    image: { reference, name, rootfs: join(imagesDir, name, 'rootfs'), entrypoint, cmd, env: [PATH] },
  };
}

/** The process a container runs, as Kubernetes combines them: `command` replaces ENTRYPOINT (and drops
 *  CMD), `args` replaces CMD. */
export function containerArgv(
  image: Image,
  command: readonly string[] | undefined,
  args: readonly string[] | undefined,
): string[] {
  const hasCommand = command !== undefined && command.length > 0;
  const hasArgs = args !== undefined && args.length > 0;
  if (hasCommand) return [...command, ...(hasArgs ? args : [])];
  return [...image.entrypoint, ...(hasArgs ? args : image.cmd)];
}

export interface BuildOptions {
  /** Where the downloaded .deb is kept (default: `<imagesDir>/cache`). */
  readonly cacheDir?: string;
}

/** Builds both images into `imagesDir` (reused when already built). The testbed's install calls this. */
export async function buildImages(imagesDir: string, options: BuildOptions = {}): Promise<void> {
  const cacheDir = options.cacheDir ?? join(imagesDir, 'cache');
  await mkdir(imagesDir, { recursive: true });
  if (!(await isBuilt(imagesDir, 'busybox'))) {
    const deb = await fetchBusyboxDeb(cacheDir);
    await buildAtomically(imagesDir, 'busybox', (root) => buildBusybox(root, deb));
  }
  if (!(await isBuilt(imagesDir, 'echo-hostname'))) {
    await buildAtomically(imagesDir, 'echo-hostname', async (root) => {
      await execa('cp', ['-a', `${join(imagesDir, 'busybox', 'rootfs')}/.`, root]);
      await addEchoHostname(root);
    });
  }
}

async function isBuilt(imagesDir: string, name: string): Promise<boolean> {
  const stamp = join(imagesDir, name, 'stamp');
  return existsSync(stamp) && (await readFile(stamp, 'utf8')) === STAMP;
}

/** Builds into a scratch directory and renames it into place, so a crash never leaves half an image. */
async function buildAtomically(imagesDir: string, name: string, build: (root: string) => Promise<void>) {
  const scratch = join(imagesDir, `.${name}.building`);
  await rm(scratch, { recursive: true, force: true });
  await mkdir(join(scratch, 'rootfs'), { recursive: true });
  await build(join(scratch, 'rootfs'));
  await writeFile(join(scratch, 'stamp'), STAMP);
  await rm(join(imagesDir, name), { recursive: true, force: true });
  await rename(scratch, join(imagesDir, name));
}

/** ash's start-up banner, printed by an interactive `sh` when busybox is built without
 *  CONFIG_FEATURE_SH_EXTRA_QUIET (Debian's build). docker.io/busybox is built from defconfig, where that
 *  option is on: its `sh` prints only the prompt. */
const ASH_BANNER = Buffer.from("\n\n%s %s\nEnter 'help' for a list of built-in commands.\n\n\0", 'latin1');

/** Makes Debian's busybox as quiet as docker's: the banner's format string becomes "" (its first byte NUL,
 *  the binary's size and every offset unchanged), so out1fmt prints nothing. */
export async function quietShell(binary: string): Promise<void> {
  const bytes = await readFile(binary);
  const at = bytes.indexOf(ASH_BANNER);
  if (at < 0 || bytes.indexOf(ASH_BANNER, at + 1) >= 0)
    throw new Error(`${binary}: ash's banner format string is not there exactly once`);
  bytes[at] = 0;
  await writeFile(binary, bytes);
}

async function buildBusybox(root: string, deb: string): Promise<void> {
  await execa('dpkg-deb', ['-x', deb, root]);
  // The container's mountpoints and the files the runtime bind-mounts over (hosts, hostname, resolv.conf).
  for (const dir of [
    'bin',
    'etc',
    'tmp',
    'proc',
    'dev',
    'sys',
    'root',
    'home',
    'var/www',
    'usr/sbin',
    'sbin',
  ])
    await mkdir(join(root, dir), { recursive: true });
  await chmod(join(root, 'tmp'), 0o1777);
  // The busybox image keeps every applet in /bin; the binary itself at /bin/busybox.
  await rename(join(root, 'usr/bin/busybox'), join(root, 'bin/busybox'));
  await quietShell(join(root, 'bin/busybox'));
  await execa('chroot', [root, '/bin/busybox', '--install', '-s', '/bin']);
  await writeFile(
    join(root, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n',
  );
  await writeFile(join(root, 'etc/group'), 'root:x:0:\nnobody:x:65534:\n');
  for (const file of ['hosts', 'hostname', 'resolv.conf']) await writeFile(join(root, 'etc', file), '');
  await rm(join(root, 'usr/share/doc'), { recursive: true, force: true });
}

/** The echo page around the hostname: the entrypoint writes head + hostname + tail at start. */
async function addEchoHostname(root: string): Promise<void> {
  const marker = '\u0000HOSTNAME\u0000';
  const page = echoHostnamePage(marker);
  const at = page.indexOf(marker);
  await mkdir(join(root, ECHO_DIR.slice(1)), { recursive: true });
  await writeFile(join(root, ECHO_DIR.slice(1), 'head.html'), page.slice(0, at));
  await writeFile(join(root, ECHO_DIR.slice(1), 'tail.html'), page.slice(at + marker.length));
  await mkdir(join(root, 'usr/local/bin'), { recursive: true });
  const script = [
    '#!/bin/sh',
    "# Serves the echo page with this pod's hostname on port 80 (busybox httpd, in the foreground).",
    'set -e',
    'mkdir -p /tmp/www',
    `{ cat ${ECHO_DIR}/head.html; printf '%s' "$(hostname)"; cat ${ECHO_DIR}/tail.html; } > /tmp/www/index.html`,
    'exec httpd -f -p 80 -h /tmp/www "$@"',
    '',
  ].join('\n');
  await writeFile(join(root, ECHO_ENTRYPOINT.slice(1)), script, { mode: 0o755 });
}
