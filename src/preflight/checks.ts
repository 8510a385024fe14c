// Preflight: everything that would make `vagrant up` fail late or build a broken cluster, checked first,
// each failure with the fix a student can apply on their own kind of computer (Windows first: most
// students of the course run it; then macOS on Intel or Apple Silicon; then Linux).
import { parseCidr } from '../config/cidr.ts';
import type { LabConfig } from '../config/schema.ts';
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
        message: `the project folder ${input.projectDir} has non-ASCII characters (${odd.join(', ')}): older Vagrant releases failed on such paths (hashicorp/vagrant#8276)`,
        fix: 'If vagrant reports an encoding error ("incompatible character encodings"), move the folder to an ASCII-only path.',
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
  if (!out || out.exitCode !== 0) {
    return {
      result: {
        id: 'vagrant',
        status: 'fail',
        message: `Vagrant is not installed (\`${vagrantBin} --version\` ${out ? `exited ${out.exitCode}` : 'not found on PATH'})`,
        fix: `Install Vagrant (2.4.9 or newer works with every VirtualBox labkit supports): ${vagrantCommand(host.platform, 'install')}, then open a new terminal.`,
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
  const plan = chosen ? `${box}, ${chosen} build` : box;
  const id = 'box';
  if (!chosen)
    return {
      plan,
      result: {
        id,
        status: 'warn',
        message: `${box}: unknown host architecture (${arch.why}); Vagrant picks the box build itself`,
        fix: 'Pin it with vagrant.boxArchitecture: amd64 or arm64.',
      },
    };
  const why =
    configured === 'auto'
      ? `vagrant.boxArchitecture is auto and ${host}`
      : `vagrant.boxArchitecture: ${configured} in the config (${host})`;
  if (arch.arch && chosen !== arch.arch && config.vagrant.provider === 'virtualbox') {
    return {
      plan,
      result: {
        id,
        status: 'fail',
        message: `${box}, ${chosen} build: VirtualBox runs only ${arch.arch} guests on this host (${host})`,
        fix: 'Set vagrant.boxArchitecture: auto (or remove it) in the config.',
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
        message: `${box}, arm64 build: Vagrant ${formatVersion(vagrantVersion)} cannot choose a box build by architecture (Vagrant ${VAGRANT_ARCHITECTURES} added it) and would fetch the amd64 one`,
        fix: `Update Vagrant to 2.4.9 or newer: ${vagrantCommand(platform, 'upgrade')}.`,
      },
    };
  }
  if (chosen === 'arm64' && !config.vagrant.box.startsWith('bento/')) {
    return {
      plan,
      result: {
        id,
        status: 'warn',
        message: `${box}, arm64 build (${why}): labkit cannot tell whether this box has an arm64 build for ${config.vagrant.provider} (bento boxes do)`,
        fix: `If \`vagrant up\` says the box does not support the provider, set vagrant.box to an arm64 box such as bento/ubuntu-22.04.`,
      },
    };
  }
  return { plan, result: { id, status: 'pass', message: `${box}, ${chosen} build: ${why}` } };
}

function installVirtualBox(platform: NodeJS.Platform, arch: HostArchitecture): string {
  if (platform === 'win32')
    return 'Install VirtualBox: `winget install Oracle.VirtualBox` (or https://www.virtualbox.org/wiki/Downloads), then open a new PowerShell window (the installer sets VBOX_MSI_INSTALL_PATH, which Vagrant reads).';
  if (platform === 'darwin')
    return arch.appleSilicon
      ? 'Install VirtualBox 7.1 or newer for Apple Silicon: `brew install --cask virtualbox` (or the "macOS / Apple Silicon hosts" package from https://www.virtualbox.org/wiki/Downloads).'
      : 'Install VirtualBox: `brew install --cask virtualbox` (or the "macOS / Intel hosts" package from https://www.virtualbox.org/wiki/Downloads).';
  return 'Install VirtualBox 7.0-7.2 from https://www.virtualbox.org/wiki/Linux_Downloads.';
}

/** What can work on a Linux host without VirtualBox: libvirt if it is there, else the simulated lab. */
async function linuxAlternatives({ host, vagrant, configPath }: PreflightInput): Promise<string> {
  const virsh = await host.run('virsh', ['--version']);
  const plugins = await vagrantOutput(vagrant, ['plugin', 'list']);
  const libvirt =
    virsh && virsh.exitCode === 0 && plugins && /^vagrant-libvirt\b/m.test(plugins.stdout)
      ? `This machine has libvirt and vagrant-libvirt: set vagrant.provider: libvirt in ${configPath} to use them instead.`
      : `Or use libvirt: \`sudo apt-get install vagrant-libvirt libvirt-daemon-system\` and set vagrant.provider: libvirt in ${configPath}.`;
  return `${libvirt} To try labkit without any VM: \`sudo npm run lab:up -- --provider simulated\` (a simulated cluster; see README).`;
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
  if (!location) {
    return fail(
      platform === 'win32'
        ? `VirtualBox is not installed (no VBoxManage.exe on PATH, in VBOX_MSI_INSTALL_PATH or VBOX_INSTALL_PATH, or in ${envValue(host, 'SYSTEMDRIVE') ?? 'C:'}\\Program Files\\Oracle\\VirtualBox: where Vagrant looks)`
        : 'VirtualBox is not installed (VBoxManage not found on PATH)',
      installVirtualBox(platform, arch),
    );
  }
  const where = location.via === 'PATH' ? location.path : `${location.path}, found through ${location.via}`;
  const out = await host.run(location.path, ['--version']);
  if (!out)
    return fail(
      `VirtualBox is not installed (${location.path} could not be run)`,
      installVirtualBox(platform, arch),
    );
  const reading = readVBoxVersion(`${out.stdout}\n${out.stderr ?? ''}`);
  if (!reading.ok) {
    if (reading.problem === 'kernel-module')
      return fail(
        `VirtualBox is installed but its kernel module is not loaded (${where}: "${reading.text.split('\n')[0] ?? ''}")`,
        'Build and load it: `sudo /sbin/vboxconfig` (with Secure Boot, enrol the key it asks for and reboot), then run npm run lab:up again.',
      );
    return fail(
      `VirtualBox's installation is incomplete (\`${location.path} --version\` printed "${reading.text.slice(0, 160)}")`,
      installVirtualBox(platform, arch),
    );
  }
  const version = reading.version;
  const results: PreflightResult[] = [];
  if (arch.appleSilicon && compareVersions(version, parseVersion(APPLE_SILICON_VIRTUALBOX) ?? version) < 0) {
    results.push({
      id: 'provider',
      status: 'fail',
      message: `VirtualBox ${reading.text} on Apple Silicon: VirtualBox runs VMs there from 7.1 (7.0's arm64 build was a developer preview)`,
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
              ? `Update Vagrant to ${pair.needs} or newer: ${vagrantCommand(platform, 'upgrade')}, then open a new terminal; or install a VirtualBox your Vagrant supports (README, Requirements).`
              : 'Use VirtualBox 7.0 to 7.2 with Vagrant 2.4.9 or newer (README, Requirements).',
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
  if (host.platform !== 'linux') {
    return [
      {
        id: 'provider',
        status: 'fail',
        message: `vagrant.provider: libvirt is for Linux hosts; this is ${host.platform === 'win32' ? 'Windows' : 'macOS'}`,
        fix: `Set vagrant.provider: virtualbox in ${configPath}. ${installVirtualBox(host.platform, await probeArchitecture(host))}`,
      },
    ];
  }
  const plugins = await vagrantOutput(vagrant, ['plugin', 'list']);
  const virsh = await host.run('virsh', ['--version']);
  const results: PreflightResult[] = [];
  const simulated =
    ' To try labkit without any VM: `sudo npm run lab:up -- --provider simulated` (a simulated cluster; see README).';
  if (!plugins || !/^vagrant-libvirt\b/m.test(plugins.stdout)) {
    results.push({
      id: 'provider',
      status: 'fail',
      message: 'the vagrant-libvirt plugin is not installed',
      fix: `Install it: \`vagrant plugin install vagrant-libvirt\` (Debian/Ubuntu: \`sudo apt-get install vagrant-libvirt\`).${simulated}`,
    });
  }
  if (!virsh || virsh.exitCode !== 0) {
    results.push({
      id: 'libvirt',
      status: 'fail',
      message: 'libvirt is not installed or not running (`virsh --version` failed)',
      fix: `Install libvirt (\`sudo apt-get install libvirt-daemon-system qemu-system-x86\`), add yourself to the libvirt group, and log in again.${simulated}`,
    });
  }
  if (results.length === 0)
    results.push({ id: 'provider', status: 'pass', message: `libvirt ${virsh?.stdout.trim() ?? ''}`.trim() });
  return results;
}

function checkMemory({ config, host, configPath }: PreflightInput): PreflightResult {
  const needed = config.nodes.reduce((sum, n) => sum + n.memoryMb, 0);
  const available = host.totalMemoryMb - HOST_RESERVE_MB;
  const message = `VMs need ${needed} MB; host has ${host.totalMemoryMb} MB (${HOST_RESERVE_MB} MB kept for the host)`;
  if (needed > available) {
    return {
      id: 'memory',
      status: 'fail',
      message,
      fix: `Lower nodes[].memoryMb in ${configPath} (the control plane needs at least 1700 MB; workers run with 1024 MB), or close other programs/VMs.`,
    };
  }
  return { id: 'memory', status: 'pass', message };
}

function checkCpus({ config, host, configPath }: PreflightInput): PreflightResult {
  const largest = Math.max(...config.nodes.map((n) => n.cpus));
  const total = config.nodes.reduce((sum, n) => sum + n.cpus, 0);
  const message = `VMs use ${total} vCPUs (largest ${largest}); host has ${host.cpuCount}`;
  if (largest > host.cpuCount) {
    return {
      id: 'cpus',
      status: 'fail',
      message,
      fix: `A VM cannot have more vCPUs than the host has CPUs: lower nodes[].cpus in ${configPath}.`,
    };
  }
  if (total > host.cpuCount) {
    return { id: 'cpus', status: 'warn', message, fix: 'The VMs share CPUs; expect a slower lab:up.' };
  }
  return { id: 'cpus', status: 'pass', message };
}

async function checkHostOnlyRange({ config, host, configPath }: PreflightInput): Promise<PreflightResult> {
  const net = parseCidr(config.network.nodeCidr);
  if (!net.ok) return { id: 'host-only-network', status: 'fail', message: net.reason };
  if (host.platform === 'win32') {
    return {
      id: 'host-only-network',
      status: 'pass',
      message: `${config.network.nodeCidr} (no range limit on Windows)`,
    };
  }
  const conf = await host.readText(VBOX_NETWORKS_CONF);
  const allowed = allowedHostOnlyRanges(conf);
  const source =
    conf === undefined
      ? `VirtualBox's default 192.168.56.0/21 (no ${VBOX_NETWORKS_CONF})`
      : VBOX_NETWORKS_CONF;
  if (hostOnlyNetworkAllowed(net.cidr, allowed)) {
    return {
      id: 'host-only-network',
      status: 'pass',
      message: `${config.network.nodeCidr} is allowed by ${source}`,
    };
  }
  return {
    id: 'host-only-network',
    status: 'fail',
    message: `VirtualBox will refuse the host-only network ${config.network.nodeCidr}: not within ${allowed.map((c) => c.text).join(' ') || 'any range'} (${source})`,
    fix: `Use network.nodeCidr 192.168.56.0/24 (and node IPs 192.168.56.x) in ${configPath}, or allow the range: \`sudo mkdir -p /etc/vbox && echo '* ${config.network.nodeCidr}' | sudo tee -a ${VBOX_NETWORKS_CONF}\`.`,
  };
}
