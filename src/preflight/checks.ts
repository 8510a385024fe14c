// Preflight: everything that would make `vagrant up` fail late or build a broken cluster, checked first,
// each failure with the fix a student can apply on their own kind of computer (Windows first: most
// students of the course run it; then macOS on Intel or Apple Silicon; then Linux).
import { parseCidr } from '../config/cidr.ts';
import type { LabConfig } from '../config/schema.ts';
import { t } from '../i18n/index.ts';
import { UserError } from '../util/exit-codes.ts';
import { boxArchitectureFor, hostArchitecture, type HostArchitecture } from '../vagrant/box-architecture.ts';
import { runVagrant, type VagrantOptions } from '../vagrant/run.ts';
import { checkControlPlaneSize } from './control-plane-size.ts';
import { checkDisk } from './disk.ts';
import { envValue, type HostProbe } from './host.ts';
import type { PreflightResult } from './result.ts';
import { compareVersions, formatVersion, parseVersion, type Version } from './version.ts';
import { checkVersionPair, defaultMachineFolder, locateVBoxManage, readVBoxVersion } from './virtualbox.ts';
import { allowedHostOnlyRanges, hostOnlyNetworkAllowed, VBOX_NETWORKS_CONF } from './vbox-networks.ts';
import { checkVirtualization, checkWindowsPaths, readWindowsFacts, unsafePathCharacters } from './windows.ts';

export type { PreflightResult } from './result.ts';

/** RAM left to the host OS while the VMs run (kodekloud's rule of thumb: VM RAM <= host RAM - 2 GB). */
export const HOST_RESERVE_MB = 2048;

/** VirtualBox runs on Apple Silicon from 7.1 (7.0's arm64 build was a developer preview). */
const APPLE_SILICON_VIRTUALBOX = '7.1.0';
/** Vagrant chooses a box build by architecture from 2.4.0 (CHANGELOG: "core: Add architecture support"). */
const VAGRANT_ARCHITECTURES = '2.4.0';

export interface PreflightInput {
  readonly config: LabConfig;
  readonly configPath: string;
  /** The folder with the Vagrantfile: Vagrant keeps each VM's state and key in its `.vagrant/`. */
  readonly projectDir: string;
  readonly host: HostProbe;
  /** Vagrant is run like every other vagrant call (same binary and environment). */
  readonly vagrant: VagrantOptions;
  /** Whether this run goes as far as `kubeadm init` (not with `lab:up --until base`); default true. */
  readonly reachesKubeadm?: boolean;
}

/** What preflight found out on the way: which provider and box lab:up will use (short, for the summary),
 *  and why (the provider and box findings, shown in full). */
export interface PreflightPlan {
  readonly provider: string;
  readonly box: string;
  readonly why: readonly string[];
}

export interface PreflightReport {
  readonly results: PreflightResult[];
  readonly plan: PreflightPlan;
}

/** `vagrant ARGS`, or undefined when vagrant is not installed. */
async function vagrantOutput(
  vagrant: VagrantOptions,
  args: string[],
): Promise<{ exitCode: number; stdout: string } | undefined> {
  try {
    return await runVagrant(vagrant, args, { timeoutMs: 60_000 });
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
}

export async function runPreflight(input: PreflightInput): Promise<PreflightReport> {
  const { host, config } = input;
  const vagrant = await checkVagrant(input);
  const arch = await probeArchitecture(host);
  const windows = host.platform === 'win32' ? await readWindowsFacts(host) : undefined;
  const results: PreflightResult[] = [vagrant.result];
  let machineFolder: string | undefined;
  let vboxManage: string | undefined;
  let providerText: string;
  if (config.vagrant.provider === 'virtualbox') {
    const vbox = await checkVirtualBox(input, arch, vagrant.version);
    results.push(...vbox.results);
    machineFolder = vbox.machineFolder;
    vboxManage = vbox.vboxManage;
    providerText = vbox.version ? `VirtualBox ${formatVersion(vbox.version)}` : 'VirtualBox';
  } else {
    results.push(...(await checkLibvirt(input)));
    providerText = 'libvirt';
  }
  const box = checkBox(config, arch, vagrant.version, host.platform);
  results.push(box.result);
  if (windows) {
    if (config.vagrant.provider === 'virtualbox') results.push(checkVirtualization(windows));
    results.push(
      ...checkWindowsPaths({
        host,
        projectDir: input.projectDir,
        ...(machineFolder !== undefined ? { machineFolder } : {}),
        ...(vboxManage !== undefined ? { vboxManage } : {}),
      }),
    );
  } else {
    const odd = unsafePathCharacters(input.projectDir).filter((c) => c !== '%');
    if (odd.length > 0)
      results.push({
        id: 'project-path',
        status: 'warn',
        message: t().preflight.host.projectOdd(input.projectDir, odd.join(', ')),
        fix: t().preflight.host.projectOddFix,
      });
  }
  results.push(checkMemory(input), checkCpus(input));
  results.push(checkControlPlaneSize(config, input.configPath, input.reachesKubeadm ?? true));
  if (config.vagrant.provider === 'virtualbox') results.push(await checkHostOnlyRange(input));
  results.push(
    ...(await checkDisk({
      config,
      host,
      projectDir: input.projectDir,
      configPath: input.configPath,
      snapshot: config.snapshot.enabled && (input.reachesKubeadm ?? true),
      ...(machineFolder !== undefined ? { machineFolder } : {}),
    })),
  );
  const provider = results.find((r) => r.id === 'provider');
  return {
    results,
    plan: {
      provider: `${providerText} (vagrant.provider: ${config.vagrant.provider})`,
      box: box.plan,
      why: [
        `provider: ${provider?.message ?? providerText} (vagrant.provider: ${config.vagrant.provider} in ${input.configPath})`,
        `box: ${box.result.message}`,
      ],
    },
  };
}

/** How to install or upgrade Vagrant on this kind of host (README "On Windows"/"On macOS" say the same). */
const VAGRANT_COMMANDS: Partial<Record<NodeJS.Platform, Record<'install' | 'upgrade', string>>> = {
  win32: { install: 'winget install Hashicorp.Vagrant', upgrade: 'winget upgrade Hashicorp.Vagrant' },
  darwin: {
    install: 'brew install hashicorp/tap/hashicorp-vagrant',
    upgrade: 'brew upgrade hashicorp/tap/hashicorp-vagrant',
  },
};

function vagrantCommand(platform: NodeJS.Platform, action: 'install' | 'upgrade'): string {
  const site = 'https://developer.hashicorp.com/vagrant/install';
  const command = VAGRANT_COMMANDS[platform]?.[action];
  return command ? `\`${command}\` (or ${site})` : site;
}

async function checkVagrant({
  vagrant,
  host,
}: PreflightInput): Promise<{ result: PreflightResult; version?: Version }> {
  const vagrantBin = vagrant.bin ?? 'vagrant';
  const out = await vagrantOutput(vagrant, ['--version']);
  const say = t().preflight.host;
  if (!out || out.exitCode !== 0) {
    return {
      result: {
        id: 'vagrant',
        status: 'fail',
        message: say.vagrantMissing(vagrantBin, out ? say.vagrantExited(out.exitCode) : say.vagrantNotOnPath),
        fix: say.vagrantInstallFix(vagrantCommand(host.platform, 'install')),
      },
    };
  }
  const version = parseVersion(out.stdout);
  return {
    result: { id: 'vagrant', status: 'pass', message: out.stdout.trim() },
    ...(version ? { version } : {}),
  };
}

async function probeArchitecture(host: HostProbe): Promise<HostArchitecture & { macos?: string }> {
  const text = async (bin: string, args: string[]) => {
    const out = await host.run(bin, args);
    return out && out.exitCode === 0 ? out.stdout.trim() : undefined;
  };
  if (host.platform === 'win32') {
    const processorArch = envValue(host, 'PROCESSOR_ARCHITECTURE');
    return hostArchitecture({
      platform: host.platform,
      nodeArch: host.arch,
      ...(processorArch !== undefined ? { windowsProcessorArch: processorArch } : {}),
    });
  }
  const unameMachine = await text('uname', ['-m']);
  if (host.platform !== 'darwin')
    return hostArchitecture({
      platform: host.platform,
      nodeArch: host.arch,
      ...(unameMachine ? { unameMachine } : {}),
    });
  const [appleSiliconSysctl, swVers] = await Promise.all([
    text('sysctl', ['-n', 'hw.optional.arm64']),
    text('sw_vers', []),
  ]);
  const product = /ProductVersion:\s*(\S+)/.exec(swVers ?? '')?.[1];
  return {
    ...hostArchitecture({
      platform: host.platform,
      nodeArch: host.arch,
      ...(unameMachine ? { unameMachine } : {}),
      ...(appleSiliconSysctl !== undefined ? { appleSiliconSysctl } : {}),
    }),
    ...(product ? { macos: product } : {}),
  };
}

/** Which box build lab:up will use, and why; a failure where that build cannot run on this host. */
function checkBox(
  config: LabConfig,
  arch: HostArchitecture & { macos?: string },
  vagrantVersion: Version | undefined,
  platform: NodeJS.Platform,
): { result: PreflightResult; plan: string } {
  const configured = config.vagrant.boxArchitecture ?? 'auto';
  const chosen = boxArchitectureFor(configured, arch);
  const box = `${config.vagrant.box} ${config.vagrant.boxVersion}`;
  const host = `${arch.macos ? `macOS ${arch.macos}: ` : ''}${arch.why}`;
  const say = t().preflight.host;
  const build = chosen ? say.build(box, chosen) : box;
  const plan = build;
  const id = 'box';
  if (!chosen)
    return {
      plan,
      result: {
        id,
        status: 'warn',
        message: say.boxUnknownArch(box, arch.why),
        fix: say.boxPinFix,
      },
    };
  const why = configured === 'auto' ? say.boxAuto(host) : say.boxConfigured(configured, host);
  if (arch.arch && chosen !== arch.arch && config.vagrant.provider === 'virtualbox') {
    return {
      plan,
      result: {
        id,
        status: 'fail',
        message: say.boxWrongArch(build, arch.arch, host),
        fix: say.boxAutoFix,
      },
    };
  }
  if (
    chosen === 'arm64' &&
    vagrantVersion &&
    compareVersions(vagrantVersion, parseVersion(VAGRANT_ARCHITECTURES) ?? vagrantVersion) < 0
  ) {
    return {
      plan,
      result: {
        id,
        status: 'fail',
        message: say.boxOldVagrant(build, formatVersion(vagrantVersion), VAGRANT_ARCHITECTURES),
        fix: say.vagrantUpdateFix(vagrantCommand(platform, 'upgrade')),
      },
    };
  }
  if (chosen === 'arm64' && !config.vagrant.box.startsWith('bento/')) {
    return {
      plan,
      result: {
        id,
        status: 'warn',
        message: say.boxArm64Unknown(build, why, config.vagrant.provider),
        fix: say.boxArm64Fix,
      },
    };
  }
  return { plan, result: { id, status: 'pass', message: say.boxOk(build, why) } };
}

function installVirtualBox(platform: NodeJS.Platform, arch: HostArchitecture): string {
  const say = t().preflight.host;
  if (platform === 'win32') return say.vboxInstallWindows;
  if (platform === 'darwin') return arch.appleSilicon ? say.vboxInstallAppleSilicon : say.vboxInstallMacIntel;
  return say.vboxInstallLinux;
}

/** What can work on a Linux host without VirtualBox: libvirt if it is there, else the simulated lab. */
async function linuxAlternatives({ host, vagrant, configPath }: PreflightInput): Promise<string> {
  const virsh = await host.run('virsh', ['--version']);
  const plugins = await vagrantOutput(vagrant, ['plugin', 'list']);
  const say = t().preflight.host;
  const libvirt =
    virsh && virsh.exitCode === 0 && plugins && /^vagrant-libvirt\b/m.test(plugins.stdout)
      ? say.libvirtPresent(configPath)
      : say.libvirtOr(configPath);
  return `${libvirt} ${say.simulated}`;
}

async function checkVirtualBox(
  input: PreflightInput,
  arch: HostArchitecture,
  vagrantVersion: Version | undefined,
): Promise<{ results: PreflightResult[]; version?: Version; machineFolder?: string; vboxManage?: string }> {
  const { host } = input;
  const platform = host.platform;
  // Where VirtualBox cannot be used, say what can: on Linux that may be libvirt or the simulated lab
  // (this runs vagrant, so only on the failure path).
  const fail = async (message: string, fix: string) => ({
    results: [
      {
        id: 'provider',
        status: 'fail' as const,
        message,
        fix: platform === 'linux' ? `${fix} ${await linuxAlternatives(input)}` : fix,
      },
    ],
  });
  const location = await locateVBoxManage(host);
  const say = t().preflight.host;
  if (!location) {
    return fail(
      platform === 'win32' ? say.vboxMissingWindows(envValue(host, 'SYSTEMDRIVE') ?? 'C:') : say.vboxMissing,
      installVirtualBox(platform, arch),
    );
  }
  const where = location.via === 'PATH' ? location.path : say.foundThrough(location.path, location.via);
  const out = await host.run(location.path, ['--version']);
  if (!out) return fail(say.vboxNotRunnable(location.path), installVirtualBox(platform, arch));
  const reading = readVBoxVersion(`${out.stdout}\n${out.stderr ?? ''}`);
  if (!reading.ok) {
    if (reading.problem === 'kernel-module')
      return fail(say.vboxKernelModule(where, reading.text.split('\n')[0] ?? ''), say.vboxKernelFix);
    return fail(
      say.vboxIncomplete(location.path, reading.text.slice(0, 160)),
      installVirtualBox(platform, arch),
    );
  }
  const version = reading.version;
  const results: PreflightResult[] = [];
  if (arch.appleSilicon && compareVersions(version, parseVersion(APPLE_SILICON_VIRTUALBOX) ?? version) < 0) {
    results.push({
      id: 'provider',
      status: 'fail',
      message: say.vboxAppleSilicon(reading.text),
      fix: installVirtualBox(platform, arch),
    });
  } else {
    results.push({ id: 'provider', status: 'pass', message: `VirtualBox ${reading.text} (${where})` });
  }
  if (vagrantVersion) {
    const pair = checkVersionPair(vagrantVersion, version, platform);
    results.push({
      id: 'vagrant-virtualbox',
      status: pair.status,
      message: pair.message,
      ...(pair.status !== 'pass'
        ? {
            fix: pair.needs
              ? say.pairUpdateFix(pair.needs, vagrantCommand(platform, 'upgrade'))
              : say.pairFix,
          }
        : {}),
    });
  }
  const props = await host.run(location.path, ['list', 'systemproperties']);
  const machineFolder = props && props.exitCode === 0 ? defaultMachineFolder(props.stdout) : undefined;
  return {
    results,
    version,
    vboxManage: location.path,
    ...(machineFolder !== undefined ? { machineFolder } : {}),
  };
}

async function checkLibvirt(input: PreflightInput): Promise<PreflightResult[]> {
  const { host, vagrant, configPath } = input;
  const say = t().preflight.host;
  if (host.platform !== 'linux') {
    return [
      {
        id: 'provider',
        status: 'fail',
        message: say.libvirtNotLinux(host.platform === 'win32' ? 'Windows' : 'macOS'),
        fix: say.useVirtualBoxFix(
          configPath,
          installVirtualBox(host.platform, await probeArchitecture(host)),
        ),
      },
    ];
  }
  const plugins = await vagrantOutput(vagrant, ['plugin', 'list']);
  const virsh = await host.run('virsh', ['--version']);
  const results: PreflightResult[] = [];
  if (!plugins || !/^vagrant-libvirt\b/m.test(plugins.stdout)) {
    results.push({
      id: 'provider',
      status: 'fail',
      message: say.libvirtPluginMissing,
      fix: say.libvirtPluginFix(say.simulated),
    });
  }
  if (!virsh || virsh.exitCode !== 0) {
    results.push({
      id: 'libvirt',
      status: 'fail',
      message: say.libvirtMissing,
      fix: say.libvirtMissingFix(say.simulated),
    });
  }
  if (results.length === 0)
    results.push({ id: 'provider', status: 'pass', message: `libvirt ${virsh?.stdout.trim() ?? ''}`.trim() });
  return results;
}

function checkMemory({ config, host, configPath }: PreflightInput): PreflightResult {
  const needed = config.nodes.reduce((sum, n) => sum + n.memoryMb, 0);
  const available = host.totalMemoryMb - HOST_RESERVE_MB;
  const message = t().preflight.host.memory(needed, host.totalMemoryMb, HOST_RESERVE_MB);
  if (needed > available) {
    return {
      id: 'memory',
      status: 'fail',
      message,
      fix: t().preflight.host.memoryFix(configPath),
    };
  }
  return { id: 'memory', status: 'pass', message };
}

function checkCpus({ config, host, configPath }: PreflightInput): PreflightResult {
  const largest = Math.max(...config.nodes.map((n) => n.cpus));
  const total = config.nodes.reduce((sum, n) => sum + n.cpus, 0);
  const say = t().preflight.host;
  const message = say.cpus(total, largest, host.cpuCount);
  if (largest > host.cpuCount) {
    return {
      id: 'cpus',
      status: 'fail',
      message,
      fix: say.cpusFix(configPath),
    };
  }
  if (total > host.cpuCount) {
    return { id: 'cpus', status: 'warn', message, fix: say.cpusShared };
  }
  return { id: 'cpus', status: 'pass', message };
}

async function checkHostOnlyRange({ config, host, configPath }: PreflightInput): Promise<PreflightResult> {
  const net = parseCidr(config.network.nodeCidr);
  if (!net.ok) return { id: 'host-only-network', status: 'fail', message: net.reason };
  const say = t().preflight.host;
  if (host.platform === 'win32') {
    return {
      id: 'host-only-network',
      status: 'pass',
      message: say.noRangeLimit(config.network.nodeCidr),
    };
  }
  const conf = await host.readText(VBOX_NETWORKS_CONF);
  const allowed = allowedHostOnlyRanges(conf);
  const source = conf === undefined ? say.vboxDefaultRange(VBOX_NETWORKS_CONF) : VBOX_NETWORKS_CONF;
  if (hostOnlyNetworkAllowed(net.cidr, allowed)) {
    return {
      id: 'host-only-network',
      status: 'pass',
      message: say.rangeAllowed(config.network.nodeCidr, source),
    };
  }
  return {
    id: 'host-only-network',
    status: 'fail',
    message: say.rangeRefused(
      config.network.nodeCidr,
      allowed.map((c) => c.text).join(' ') || say.anyRange,
      source,
    ),
    fix: say.rangeFix(config.network.nodeCidr, configPath, VBOX_NETWORKS_CONF),
  };
}
