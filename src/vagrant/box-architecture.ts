// Which CPU architecture the lab's box must be built for. Vagrant ≥ 2.4 picks a box build by architecture
// (config.vm.box_architecture, default :auto = the architecture *Vagrant's own Ruby* was built for). That
// guess is wrong for an Intel build of Vagrant running under Rosetta on Apple Silicon, so labkit decides from
// the machine itself and hands the answer to the Vagrantfile as LAB_BOX_ARCH on every vagrant call.
import { execFileSync } from 'node:child_process';
import { machine } from 'node:os';

export type BoxArchitecture = 'amd64' | 'arm64';

export interface ArchFacts {
  readonly platform: NodeJS.Platform;
  /** `process.arch` of this Node. */
  readonly nodeArch: string;
  /** `uname -m` (Linux, macOS): `x86_64`, `arm64`, `aarch64`. Under Rosetta it says `x86_64`. */
  readonly unameMachine?: string;
  /** macOS `sysctl -n hw.optional.arm64`: `1` on Apple Silicon, also for a process under Rosetta. */
  readonly appleSiliconSysctl?: string;
  /** Windows PROCESSOR_ARCHITECTURE (`AMD64`, `ARM64`). */
  readonly windowsProcessorArch?: string;
}

export interface HostArchitecture {
  readonly arch: BoxArchitecture | undefined;
  /** The evidence, in words, for the preflight message. */
  readonly why: string;
  /** Apple Silicon Mac (VirtualBox needs 7.1+ there). */
  readonly appleSilicon: boolean;
}

function fromName(name: string | undefined): BoxArchitecture | undefined {
  const n = (name ?? '').trim().toLowerCase();
  if (['x86_64', 'amd64', 'x64'].includes(n)) return 'amd64';
  if (['arm64', 'aarch64'].includes(n)) return 'arm64';
  return undefined;
}

export function hostArchitecture(facts: ArchFacts): HostArchitecture {
  if (facts.platform === 'darwin') {
    if (facts.appleSiliconSysctl?.trim() === '1') {
      const rosetta = fromName(facts.unameMachine ?? facts.nodeArch) === 'amd64';
      return {
        arch: 'arm64',
        appleSilicon: true,
        why: `this Mac has an Apple Silicon CPU (sysctl hw.optional.arm64: 1${rosetta ? `; uname -m says ${facts.unameMachine ?? facts.nodeArch} because this terminal runs under Rosetta` : ''})`,
      };
    }
    const arch = fromName(facts.unameMachine) ?? fromName(facts.nodeArch);
    return {
      arch,
      appleSilicon: false,
      why: `this Mac has an Intel CPU (uname -m: ${facts.unameMachine ?? facts.nodeArch})`,
    };
  }
  if (facts.platform === 'win32') {
    const arch = fromName(facts.windowsProcessorArch) ?? fromName(facts.nodeArch);
    return {
      arch,
      appleSilicon: false,
      why: `PROCESSOR_ARCHITECTURE is ${facts.windowsProcessorArch ?? `unset (Node: ${facts.nodeArch})`}`,
    };
  }
  const arch = fromName(facts.unameMachine) ?? fromName(facts.nodeArch);
  return { arch, appleSilicon: false, why: `uname -m: ${facts.unameMachine ?? facts.nodeArch}` };
}

/** The configured architecture when pinned, else the host's. */
export function boxArchitectureFor(
  configured: 'auto' | BoxArchitecture | undefined,
  host: HostArchitecture,
): BoxArchitecture | undefined {
  return configured === 'amd64' || configured === 'arm64' ? configured : host.arch;
}

let cached: HostArchitecture | undefined;

/** The same decision from this process's own machine, synchronously (for the environment of every vagrant
 *  call); probed once per process. */
export function localHostArchitecture(): HostArchitecture {
  if (cached) return cached;
  let appleSiliconSysctl: string | undefined;
  if (process.platform === 'darwin') {
    try {
      appleSiliconSysctl = execFileSync('sysctl', ['-n', 'hw.optional.arm64'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 5_000,
      });
    } catch {
      appleSiliconSysctl = undefined; // Intel Macs have no such key
    }
  }
  cached = hostArchitecture({
    platform: process.platform,
    nodeArch: process.arch,
    ...(process.platform === 'win32'
      ? process.env['PROCESSOR_ARCHITECTURE'] !== undefined
        ? { windowsProcessorArch: process.env['PROCESSOR_ARCHITECTURE'] }
        : {}
      : { unameMachine: machine() }),
    ...(appleSiliconSysctl !== undefined ? { appleSiliconSysctl } : {}),
  });
  return cached;
}
