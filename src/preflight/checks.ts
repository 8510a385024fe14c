// Preflight: everything that would make `vagrant up` fail late or build a broken cluster, checked first,
// each failure with the fix a student can apply.
import { parseCidr } from '../config/cidr.ts';
import type { LabConfig } from '../config/schema.ts';
import { UserError } from '../util/exit-codes.ts';
import { runVagrant, type VagrantOptions } from '../vagrant/run.ts';
import { checkControlPlaneSize } from './control-plane-size.ts';
import type { HostProbe } from './host.ts';
import { allowedHostOnlyRanges, hostOnlyNetworkAllowed, VBOX_NETWORKS_CONF } from './vbox-networks.ts';

export interface PreflightResult {
  readonly id: string;
  readonly status: 'pass' | 'warn' | 'fail';
  readonly message: string;
  /** What to do about it (fail and warn only). */
  readonly fix?: string;
}

/** RAM left to the host OS while the VMs run (kodekloud's rule of thumb: VM RAM <= host RAM - 2 GB). */
export const HOST_RESERVE_MB = 2048;

export interface PreflightInput {
  readonly config: LabConfig;
  readonly configPath: string;
  readonly host: HostProbe;
  /** Vagrant is run like every other vagrant call (same binary and environment). */
  readonly vagrant: VagrantOptions;
  /** Whether this run goes as far as `kubeadm init` (not with `lab:up --until base`); default true. */
  readonly reachesKubeadm?: boolean;
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

export async function runPreflight(input: PreflightInput): Promise<PreflightResult[]> {
  const results: PreflightResult[] = [await checkVagrant(input)];
  results.push(...(await checkProvider(input)));
  results.push(checkMemory(input), checkCpus(input));
  results.push(checkControlPlaneSize(input.config, input.configPath, input.reachesKubeadm ?? true));
  if (input.config.vagrant.provider === 'virtualbox') results.push(await checkHostOnlyRange(input));
  return results;
}

async function checkVagrant({ vagrant }: PreflightInput): Promise<PreflightResult> {
  const vagrantBin = vagrant.bin ?? 'vagrant';
  const out = await vagrantOutput(vagrant, ['--version']);
  if (!out || out.exitCode !== 0) {
    return {
      id: 'vagrant',
      status: 'fail',
      message: `Vagrant is not installed (\`${vagrantBin} --version\` ${out ? `exited ${out.exitCode}` : 'not found on PATH'})`,
      fix: 'Install Vagrant 2.3 or newer from https://developer.hashicorp.com/vagrant/install, then open a new terminal.',
    };
  }
  return { id: 'vagrant', status: 'pass', message: out.stdout.trim() };
}

async function checkProvider({ config, host, vagrant }: PreflightInput): Promise<PreflightResult[]> {
  if (config.vagrant.provider === 'virtualbox') {
    const out = await host.run('VBoxManage', ['--version']);
    if (!out || out.exitCode !== 0) {
      return [
        {
          id: 'provider',
          status: 'fail',
          message: 'VirtualBox is not installed (VBoxManage not found on PATH)',
          fix: 'Install VirtualBox from https://www.virtualbox.org/wiki/Downloads (on Apple Silicon use provider libvirt/another arm64 setup; see README), or set vagrant.provider: libvirt in lab.config.yaml on Linux.',
        },
      ];
    }
    return [{ id: 'provider', status: 'pass', message: `VirtualBox ${out.stdout.trim()}` }];
  }
  const plugins = await vagrantOutput(vagrant, ['plugin', 'list']);
  const virsh = await host.run('virsh', ['--version']);
  const results: PreflightResult[] = [];
  if (!plugins || !/^vagrant-libvirt\b/m.test(plugins.stdout)) {
    results.push({
      id: 'provider',
      status: 'fail',
      message: 'the vagrant-libvirt plugin is not installed',
      fix: 'Install it: `vagrant plugin install vagrant-libvirt` (Debian/Ubuntu: `sudo apt-get install vagrant-libvirt`).',
    });
  }
  if (!virsh || virsh.exitCode !== 0) {
    results.push({
      id: 'libvirt',
      status: 'fail',
      message: 'libvirt is not installed or not running (`virsh --version` failed)',
      fix: 'Install libvirt (`sudo apt-get install libvirt-daemon-system qemu-system-x86`), add yourself to the libvirt group, and log in again.',
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
