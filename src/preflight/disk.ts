// Free disk space for what lab:up is about to write: the box (in Vagrant's home) and the VMs' disks (in
// VirtualBox's machine folder or libvirt's image pool), plus the memory images of the VMs' snapshot. What
// already exists (the box downloaded, a VM created) is not counted again, so a re-run on a full disk passes.
import { t } from '../i18n/index.ts';
import { posix, win32 } from 'node:path';
import type { LabConfig } from '../config/schema.ts';
import { envValue, type HostProbe } from './host.ts';
import type { PreflightResult } from './result.ts';

/** bento/ubuntu-22.04 downloads as ~0.7 GB and unpacks to ~2 GB; Vagrant keeps both while it unpacks. */
export const BOX_DISK_MB = 3072;
/** A linked clone starts near empty and grows with containerd, the Kubernetes packages, images and logs. */
export const VM_DISK_MB = 3072;
/** libvirt's default storage pool (vagrant-libvirt puts volumes there unless told otherwise). */
export const LIBVIRT_POOL_DIR = '/var/lib/libvirt/images';

export function pathsFor(platform: NodeJS.Platform): typeof posix {
  return platform === 'win32' ? win32 : posix;
}

/** Vagrant's home as Vagrant computes it (lib/vagrant/shared_helpers.rb user_data_path). */
export function vagrantHomeOf(host: HostProbe): string | undefined {
  const set = envValue(host, 'VAGRANT_HOME');
  if (set !== undefined) return set;
  const p = pathsFor(host.platform);
  const profile = envValue(host, 'USERPROFILE');
  if (profile !== undefined) return p.join(profile, '.vagrant.d');
  const home = envValue(host, 'HOME');
  return home !== undefined ? p.join(home, '.vagrant.d') : undefined;
}

/** Where new VMs' disks go for the configured provider. */
export function vmDiskFolder(
  host: HostProbe,
  config: LabConfig,
  machineFolder: string | undefined,
): string | undefined {
  if (config.vagrant.provider === 'libvirt') return LIBVIRT_POOL_DIR;
  if (machineFolder !== undefined) return machineFolder;
  const home = envValue(host, host.platform === 'win32' ? 'USERPROFILE' : 'HOME');
  return home !== undefined ? pathsFor(host.platform).join(home, 'VirtualBox VMs') : undefined;
}

function gb(mb: number): string {
  return `${(mb / 1024).toFixed(mb % 1024 === 0 ? 0 : 1)} GB`;
}

export interface DiskInput {
  readonly config: LabConfig;
  readonly host: HostProbe;
  readonly projectDir: string;
  readonly configPath: string;
  readonly machineFolder?: string;
  /** Whether lab:up will take a snapshot (config snapshot.enabled). */
  readonly snapshot: boolean;
}

export async function checkDisk(input: DiskInput): Promise<PreflightResult[]> {
  const { config, host, projectDir } = input;
  const p = pathsFor(host.platform);
  const vagrantHome = vagrantHomeOf(host);
  const vmFolder = vmDiskFolder(host, config, input.machineFolder);
  if (vagrantHome === undefined || vmFolder === undefined)
    return [
      {
        id: 'disk',
        status: 'warn',
        message: t().preflight.disk.noHome,
        fix: t().preflight.disk.noHomeFix,
      },
    ];

  // Vagrant stores a box as boxes/<name with / as -VAGRANTSLASH->/<version>/.
  const boxDir = p.join(
    vagrantHome,
    'boxes',
    config.vagrant.box.replaceAll('/', '-VAGRANTSLASH-'),
    config.vagrant.boxVersion,
  );
  const boxPresent = (await host.pathKind(boxDir)) === 'dir';
  const created = await Promise.all(
    config.nodes.map(
      async (n) =>
        (await host.pathKind(
          p.join(projectDir, '.vagrant', 'machines', n.name, config.vagrant.provider, 'id'),
        )) === 'file',
    ),
  );
  const newNodes = config.nodes.filter((_, i) => !created[i]);
  const boxMb = boxPresent ? 0 : BOX_DISK_MB;
  const vmMb = newNodes.length * VM_DISK_MB;
  // A snapshot of a running VM stores its memory; replaced (not added) when lab:up saves it again.
  const snapMb = input.snapshot ? newNodes.reduce((sum, n) => sum + n.memoryMb, 0) : 0;

  const [boxDisk, vmDisk] = await Promise.all([host.diskFree(vagrantHome), host.diskFree(vmFolder)]);
  const say = t().preflight.disk;
  if (!boxDisk || !vmDisk)
    return [
      {
        id: 'disk',
        status: 'warn',
        message: say.unreadable(!boxDisk ? vagrantHome : vmFolder),
        fix: say.makeSureFix(gb(BOX_DISK_MB + config.nodes.length * VM_DISK_MB)),
      },
    ];

  const parts = [
    boxPresent ? say.boxDownloaded(config.vagrant.box, config.vagrant.boxVersion) : say.box(gb(boxMb)),
    newNodes.length === 0 ? say.vmsCreated : say.newVms(newNodes.length, gb(vmMb)),
    ...(snapMb > 0 ? [say.snapshot(gb(snapMb))] : []),
  ];
  const needs: { where: string; many: boolean; mb: number; free: number }[] =
    boxDisk.device === vmDisk.device
      ? [
          {
            where: vmFolder === vagrantHome ? vmFolder : say.both(vagrantHome, vmFolder),
            many: vmFolder !== vagrantHome,
            mb: boxMb + vmMb + snapMb,
            free: boxDisk.freeMb,
          },
        ]
      : [
          { where: vagrantHome, many: false, mb: boxMb, free: boxDisk.freeMb },
          { where: vmFolder, many: false, mb: vmMb + snapMb, free: vmDisk.freeMb },
        ];
  const short = needs.filter((n) => n.mb > n.free);
  const detail = say.detail(parts.join(', '), needs.map((n) => say.freeFor(gb(n.free), n.where)).join(', '));
  if (short.length === 0)
    return [{ id: 'disk', status: 'pass', message: say.enough(gb(boxMb + vmMb + snapMb), detail) }];
  return [
    {
      id: 'disk',
      status: 'fail',
      message: say.notEnough(
        short.map((n) => say.shortOf(n.where, n.many, gb(n.mb), gb(n.free))).join('; '),
        parts.join(', '),
      ),
      fix: say.fix(
        short.map((n) => gb(n.mb - n.free)).join(say.and),
        input.snapshot ? input.configPath : undefined,
        config.vagrant.provider === 'virtualbox',
      ),
    },
  ];
}
