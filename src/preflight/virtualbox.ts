// VirtualBox as Vagrant sees it: which VBoxManage Vagrant runs, what version it reports, and which Vagrant
// releases drive that version. Read from hashicorp/vagrant (plugins/providers/virtualbox/driver/base.rb,
// meta.rb, CHANGELOG.md) so preflight refuses exactly what `vagrant up` would refuse, before anything boots.
import { win32 } from 'node:path';
import { t } from '../i18n/index.ts';
import { envValue, type HostProbe } from './host.ts';
import { compareVersions, formatVersion, minorOf, parseVersion, type Version } from './version.ts';

export interface VBoxManageLocation {
  /** What to run: a full path, or `VBoxManage` (resolved through PATH when run). */
  readonly path: string;
  /** How it was found, for the message. */
  readonly via: string;
}

/**
 * VBoxManage the way Vagrant's VirtualBox driver finds it (driver/base.rb, unchanged since 2015/2018).
 * On Windows: PATH first; only if it is not there, each folder of VBOX_INSTALL_PATH (or, when that is unset,
 * VBOX_MSI_INSTALL_PATH), split at `;`; then — overriding both — the first of
 * %SYSTEMDRIVE%\Program Files\Oracle\VirtualBox, ...\Program Files (x86)\..., %PROGRAMFILES%\... that holds
 * VBoxManage.exe. The VirtualBox installer sets VBOX_MSI_INSTALL_PATH but does not touch PATH.
 * Elsewhere: `VBoxManage` on PATH.
 */
export async function locateVBoxManage(host: HostProbe): Promise<VBoxManageLocation | undefined> {
  if (host.platform !== 'win32') {
    const found = await whichOnPath(host, 'VBoxManage');
    return found ? { path: found, via: 'PATH' } : undefined;
  }
  const isFile = async (p: string) => (await host.pathKind(p)) === 'file';
  let found: VBoxManageLocation | undefined;
  const onPath = await whichOnPath(host, 'VBoxManage');
  if (onPath) found = { path: onPath, via: 'PATH' };
  const installPath = envValue(host, 'VBOX_INSTALL_PATH');
  const msiPath = envValue(host, 'VBOX_MSI_INSTALL_PATH');
  if (!found && (installPath !== undefined || msiPath !== undefined)) {
    const name = installPath !== undefined ? 'VBOX_INSTALL_PATH' : 'VBOX_MSI_INSTALL_PATH';
    for (const dir of (installPath ?? msiPath ?? '').split(';')) {
      if (dir === '') continue;
      const candidate = `${dir.endsWith('\\') ? dir : `${dir}\\`}VBoxManage.exe`;
      if (await isFile(candidate)) {
        found = { path: candidate, via: name };
        break;
      }
    }
  }
  const drive = envValue(host, 'SYSTEMDRIVE') ?? 'C:';
  for (const dir of [
    `${drive}\\Program Files\\Oracle\\VirtualBox`,
    `${drive}\\Program Files (x86)\\Oracle\\VirtualBox`,
    `${envValue(host, 'PROGRAMFILES') ?? ''}\\Oracle\\VirtualBox`,
  ]) {
    const candidate = win32.join(dir, 'VBoxManage.exe');
    if (await isFile(candidate)) {
      // The same file found through an install variable keeps that (more telling) origin.
      const same = found && win32.normalize(found.path).toLowerCase() === candidate.toLowerCase();
      if (!same) found = { path: candidate, via: 'the default install folder' };
      break;
    }
  }
  return found;
}

/** Vagrant's Which.which: each PATH folder, each PATHEXT extension on Windows. */
async function whichOnPath(host: HostProbe, cmd: string): Promise<string | undefined> {
  const windows = host.platform === 'win32';
  const pathText = envValue(host, 'PATH') ?? '';
  const pathExt = envValue(host, 'PATHEXT');
  const exts = windows && pathExt !== undefined ? pathExt.split(';') : [''];
  for (const dir of pathText.split(windows ? ';' : ':')) {
    if (dir === '') continue;
    for (const ext of exts) {
      const candidate = windows ? win32.join(dir, `${cmd}${ext}`) : `${dir.replace(/\/$/, '')}/${cmd}${ext}`;
      if ((await host.pathKind(candidate)) === 'file') return candidate;
    }
  }
  return undefined;
}

export type VBoxVersionReading =
  | { readonly ok: true; readonly version: Version; readonly text: string }
  | {
      readonly ok: false;
      readonly problem: 'kernel-module' | 'install-incomplete' | 'unreadable';
      readonly text: string;
    };

/** `VBoxManage --version` as Vagrant reads it (driver/meta.rb read_version): the first line that is not a
 *  `WARNING:`, cut at `_` (`6.1.38_Ubuntur153438`) and at `r` (`7.1.4r165100`). */
export function readVBoxVersion(output: string): VBoxVersionReading {
  const text = output.trim();
  if (/vboxdrv kernel module is not loaded|VirtualBox kernel modules are not loaded/i.test(text))
    return { ok: false, problem: 'kernel-module', text };
  if (/Please install/.test(text)) return { ok: false, problem: 'install-incomplete', text };
  const line = text.split(/\r?\n/).find((l) => !l.startsWith('WARNING:') && l.trim() !== '') ?? '';
  const bare = line.trim().split('_')[0]?.split('r')[0] ?? '';
  const version = /^\d+\.\d+\.\d+$/.test(bare) ? parseVersion(bare) : undefined;
  return version ? { ok: true, version, text: bare } : { ok: false, problem: 'unreadable', text };
}

/** `VBoxManage list systemproperties`: the folder new VMs (and their disks) go to. */
export function defaultMachineFolder(output: string): string | undefined {
  const m = /^Default machine folder:\s*(.+?)\s*$/m.exec(output);
  return m?.[1];
}

/** The first Vagrant release whose VirtualBox driver map has each VirtualBox minor (Vagrant CHANGELOG.md:
 *  "Add support for VirtualBox 7.0" in 2.3.2, 7.1 in 2.4.2, 7.2 in 2.4.9; 6.1 in 2.2.7). An older Vagrant
 *  stops with "The provider 'virtualbox' that was requested ... is not supported" (VirtualBoxInvalidVersion). */
export const VAGRANT_FOR_VIRTUALBOX: Readonly<Record<string, string>> = {
  '6.1': '2.2.7',
  '7.0': '2.3.2',
  '7.1': '2.4.2',
  '7.2': '2.4.9',
};

/** Vagrant 2.3.3: "Fix `:private_network` support for VirtualBox 7 on macOS [GH-12983]" — the lab's
 *  host-only network needs it there. */
const MACOS_VIRTUALBOX7_VAGRANT = '2.3.3';

export interface PairVerdict {
  readonly status: 'pass' | 'warn' | 'fail';
  readonly message: string;
  /** The oldest Vagrant that works with this VirtualBox here (when known). */
  readonly needs?: string;
}

export function checkVersionPair(vagrant: Version, vbox: Version, platform: NodeJS.Platform): PairVerdict {
  const say = t().preflight.pair;
  const pair = say.pair(formatVersion(vagrant), formatVersion(vbox));
  const known = Object.keys(VAGRANT_FOR_VIRTUALBOX);
  const newest = known.at(-1) ?? '7.2';
  let needs = VAGRANT_FOR_VIRTUALBOX[minorOf(vbox)];
  if (!needs) {
    const newer = compareVersions(vbox, parseVersion(newest) ?? vbox) > 0;
    return newer
      ? {
          status: 'warn',
          message: say.unknownNewer(pair, newest, minorOf(vbox)),
        }
      : {
          status: 'fail',
          message: say.tooOld(pair, minorOf(vbox), newest),
        };
  }
  if (
    platform === 'darwin' &&
    vbox.major === 7 &&
    compareVersions(parseVersion(needs) ?? vagrant, parseVersion(MACOS_VIRTUALBOX7_VAGRANT) ?? vagrant) < 0
  )
    needs = MACOS_VIRTUALBOX7_VAGRANT;
  const min = parseVersion(needs);
  if (min && compareVersions(vagrant, min) < 0) {
    return {
      status: 'fail',
      needs,
      message: say.unsupported(
        pair,
        minorOf(vbox),
        needs,
        platform === 'darwin' && needs === MACOS_VIRTUALBOX7_VAGRANT ? say.macPrivateNetwork : '',
      ),
    };
  }
  if (vbox.major < 7)
    return {
      status: 'warn',
      needs,
      message: say.oldVbox(pair, minorOf(vbox), newest),
    };
  return {
    status: 'pass',
    needs,
    message: say.supported(pair, minorOf(vbox), needs),
  };
}
