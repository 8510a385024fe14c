// External tools some unit tests need (shellcheck, ruby, vagrant, ...), and where to get them. Plain data and
// lookups: the reporter imports it in vitest's main process. A newcomer's `npm test` must pass
// with Node alone, on Linux, macOS or Windows: a suite whose tools are missing (test/helpers/with-tools.ts)
// is registered with every test skipped and a `[needs ...]` tag in its name, which test/helpers/skipped-tools-reporter.ts lists at the
// end of the run with the install commands. Under LABKIT_REQUIRE_ALL=1 (CI) nothing is skipped: a missing
// tool is a failing test that names it.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type Tool =
  | 'shellcheck'
  | 'ruby'
  | 'vagrant'
  | 'vagrant-libvirt'
  | 'bash'
  | 'posix-sh'
  | 'posix-permissions'
  | 'linux-userland'
  | 'linux-shell'
  | 'python3'
  | 'git'
  | 'real-kubectl'
  | 'tmux'
  | 'root-netns'
  | 'iptables';

interface ToolInfo {
  /** What the tool is for, in the summary. */
  readonly why: string;
  /** The path found on this machine, or undefined. */
  readonly find: () => string | undefined;
  readonly install: { readonly debian: string; readonly macos: string; readonly windows: string };
}

const PLATFORMS: readonly string[] = ['linux', 'darwin', 'win32'];

/** The platform the registry answers for: LABKIT_TEST_PLATFORM=win32|darwin lets a Linux run ask "what would
 *  a Windows or macOS machine skip?" (README "Development and tests"); otherwise this machine's. */
export function testPlatform(): NodeJS.Platform {
  const forced = process.env['LABKIT_TEST_PLATFORM'];
  if (forced === undefined || forced === '') return process.platform;
  if (!PLATFORMS.includes(forced))
    throw new Error(`LABKIT_TEST_PLATFORM=${forced}: use one of ${PLATFORMS.join(', ')}`);
  return forced as NodeJS.Platform;
}

/** Windows stand-ins found on PATH that are not the tool: System32's bash.exe is WSL's launcher (it would
 *  read the tests' Windows paths inside Linux), WindowsApps' python3.exe is the Store's install prompt. */
function windowsShims(name: string): string[] {
  const env = process.env;
  if (name === 'bash') return [join(env['SystemRoot'] ?? 'C:\\Windows', 'System32')];
  if (name === 'python3' && env['LOCALAPPDATA'])
    return [join(env['LOCALAPPDATA'], 'Microsoft', 'WindowsApps')];
  return [];
}

/** The first executable named `name` on PATH (with PATHEXT on Windows), like `which`. */
export function onPath(name: string, path = process.env['PATH'] ?? ''): string | undefined {
  const windows = process.platform === 'win32';
  const exts = windows ? (process.env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';') : [''];
  const shims = windows ? windowsShims(name).map((d) => d.toLowerCase()) : [];
  for (const dir of path.split(delimiter).filter(Boolean)) {
    if (shims.includes(dir.toLowerCase().replace(/[\\/]+$/, ''))) continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const file = (path: string) => (): string | undefined => (existsSync(path) ? path : undefined);
/** A tool that exists only off Windows (a POSIX path or semantics Windows lacks). */
const notOnWindows = (find: () => string | undefined) => (): string | undefined =>
  testPlatform() === 'win32' ? undefined : find();
const onLinux = (find: () => string | undefined) => (): string | undefined =>
  testPlatform() === 'linux' ? find() : undefined;

/** Root on Linux with what src/sim/runtime runs pods with: network namespaces (iproute2), util-linux's
 *  unshare and nsenter, the overlay filesystem, python3 (the pty helper), dpkg-deb (the image build). */
function rootNetns(): string | undefined {
  if (testPlatform() !== 'linux' || process.getuid?.() !== 0) return undefined;
  const tools = ['ip', 'unshare', 'nsenter', 'dpkg-deb', 'mkfifo'].map((t) => onPath(t));
  if (tools.some((t) => t === undefined) || !existsSync('/usr/bin/python3')) return undefined;
  let filesystems = '';
  try {
    filesystems = readFileSync('/proc/filesystems', 'utf8');
  } catch {
    return undefined;
  }
  return /\soverlay\n/.test(filesystems) ? tools[0] : undefined;
}

export const TOOLS: Readonly<Record<Tool, ToolInfo>> = {
  shellcheck: {
    why: 'lints scripts/provision/*.sh',
    find: () => onPath('shellcheck'),
    install: {
      debian: 'sudo apt-get install shellcheck',
      macos: 'brew install shellcheck',
      windows: 'winget install koalaman.shellcheck',
    },
  },
  ruby: {
    why: 'loads the Vagrantfile: ruby -c and its effective settings',
    find: () => onPath('ruby'),
    install: {
      debian: 'sudo apt-get install ruby',
      macos: 'brew install ruby',
      windows: 'winget install RubyInstallerTeam.Ruby.3.3',
    },
  },
  vagrant: {
    why: 'vagrant validate, and its VirtualBox config classes',
    find: () => onPath('vagrant'),
    install: {
      debian: 'sudo apt-get install vagrant',
      macos: 'brew install hashicorp/tap/hashicorp-vagrant',
      windows: 'winget install Hashicorp.Vagrant',
    },
  },
  'vagrant-libvirt': {
    why: "vagrant-libvirt's config classes, loaded as a Ruby library beside Vagrant",
    // Debian's package is what the tests load (`require 'vagrant-libvirt'` from Ruby's own path).
    find: onLinux(file('/usr/share/doc/vagrant-libvirt')),
    install: {
      debian: 'sudo apt-get install vagrant-libvirt',
      macos: '(Debian/Ubuntu only: run these tests in CI or a Linux VM)',
      windows: '(Debian/Ubuntu only: run these tests in CI or WSL)',
    },
  },
  bash: {
    why: 'parses the provision scripts (bash -n); shell quoting round trips',
    find: () => onPath('bash'),
    install: {
      debian: 'sudo apt-get install bash',
      macos: 'brew install bash',
      windows: 'winget install Git.Git, then put C:\\Program Files\\Git\\bin on PATH (Git Bash)',
    },
  },
  'posix-sh': {
    why: "/bin/sh and POSIX utilities: the checks' in-pod scripts and stub commands, shell quoting round trips",
    find: notOnWindows(file('/bin/sh')),
    install: {
      debian: '(always present)',
      macos: '(always present)',
      windows: '(POSIX only: run the tests in WSL)',
    },
  },
  'posix-permissions': {
    why: 'file modes (kubeconfig written 0600); Windows has no POSIX permission bits',
    find: notOnWindows(() => 'POSIX file modes'),
    install: {
      debian: '(always present)',
      macos: '(always present)',
      windows: '(POSIX only: run the tests in WSL)',
    },
  },
  'linux-userland': {
    why: 'runs the provision scripts for real with stub commands (bash >= 4, mawk, coreutils in /usr/bin)',
    find: onLinux(() =>
      ['/usr/bin/bash', '/usr/bin/mawk', '/usr/bin/cmp', '/usr/bin/mktemp'].every((p) => existsSync(p))
        ? '/usr/bin/bash'
        : undefined,
    ),
    install: {
      debian: 'sudo apt-get install mawk',
      macos: '(Linux only: run these tests in CI or a Linux VM)',
      windows: '(Linux only: run these tests in WSL)',
    },
  },
  'linux-shell': {
    why: "the in-process SSH server's commands run as on a Linux VM: bash, GNU timeout, procps pgrep",
    find: onLinux(() => (['timeout', 'pgrep'].every((t) => onPath(t)) ? onPath('bash') : undefined)),
    install: {
      debian: 'sudo apt-get install coreutils procps',
      macos: '(Linux only: run these tests in CI or a Linux VM)',
      windows: '(Linux only: run these tests in WSL)',
    },
  },
  python3: {
    why: 'an independent XML parser for the JUnit report',
    find: () => onPath('python3'),
    install: {
      debian: 'sudo apt-get install python3',
      macos: 'brew install python',
      windows: 'winget install Python.Python.3.12',
    },
  },
  git: {
    why: "reads the checkout's line endings (git ls-files --eol)",
    find: () => onPath('git'),
    install: {
      debian: 'sudo apt-get install git',
      macos: 'xcode-select --install',
      windows: 'winget install Git.Git',
    },
  },
  'real-kubectl': {
    why: 'runs the official kubectl v1.33 (linux/amd64, from npm) against local test servers; unzip extracts it',
    find: () => (testPlatform() === 'linux' && process.arch === 'x64' ? onPath('unzip') : undefined),
    install: {
      debian: 'sudo apt-get install unzip (on linux/amd64)',
      macos: '(linux/amd64 only: run these tests in CI or a Linux VM)',
      windows: '(linux/amd64 only: run these tests in WSL)',
    },
  },
  'root-netns': {
    why: 'runs real pods (src/sim/runtime): root, network namespaces, unshare/nsenter, overlayfs, python3',
    find: rootNetns,
    install: {
      debian: 'run as root: sudo apt-get install iproute2 util-linux dpkg python3',
      macos: '(Linux + root only: run these tests in CI or a Linux VM)',
      windows: '(Linux + root only: run these tests in WSL as root)',
    },
  },
  iptables: {
    why: "kube-proxy's rules applied for real (src/sim/proxy): iptables and iptables-restore (nf_tables 1.8.9 here)",
    find: onLinux(() => onPath('iptables-restore', `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin`)),
    install: {
      debian: 'sudo apt-get install iptables',
      macos: '(Linux only: run these tests in CI or a Linux VM)',
      windows: '(Linux only: run these tests in CI or WSL)',
    },
  },
  tmux: {
    why: 'drives `kubectl run -it` through a real terminal',
    find: () => onPath('tmux'),
    install: {
      debian: 'sudo apt-get install tmux',
      macos: 'brew install tmux',
      windows: '(run these tests in WSL)',
    },
  },
};

export const REQUIRE_ALL_VAR = 'LABKIT_REQUIRE_ALL';
export const requireAll = (): boolean => process.env[REQUIRE_ALL_VAR] === '1';

export function missingTools(tools: readonly Tool[]): Tool[] {
  return tools.filter((t) => TOOLS[t].find() === undefined);
}

/** The path of a tool a running test needs (its suite was registered with describeWithTools). */
export function toolPath(tool: Tool): string {
  const path = TOOLS[tool].find();
  if (!path) throw new Error(`${tool} is not installed: ${TOOLS[tool].install.debian}`);
  return path;
}

/** The tag a skipped suite carries in its name; the reporter reads it back. */
export const needsTag = (tools: readonly Tool[]): string => `[needs ${tools.join(', ')}]`;
export const NEEDS_TAG = /\[needs ([a-z, -]+)\]/;
