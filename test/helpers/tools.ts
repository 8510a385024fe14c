// External tools some unit tests need (shellcheck, ruby, vagrant, ...), and where to get them. Plain data and
// lookups: the reporter imports it in vitest's main process. A newcomer's `npm test` must pass
// with Node alone, on Linux, macOS or Windows: a suite whose tools are missing (test/helpers/with-tools.ts)
// is registered with every test skipped and a `[needs ...]` tag in its name, which test/helpers/skipped-tools-reporter.ts lists at the
// end of the run with the install commands. Under LABKIT_REQUIRE_ALL=1 (CI) nothing is skipped: a missing
// tool is a failing test that names it.
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type Tool =
  | 'shellcheck'
  | 'ruby'
  | 'vagrant'
  | 'vagrant-libvirt'
  | 'bash'
  | 'posix-sh'
  | 'linux-userland'
  | 'real-kubectl'
  | 'tmux';

interface ToolInfo {
  /** What the tool is for, in the summary. */
  readonly why: string;
  /** The path found on this machine, or undefined. */
  readonly find: () => string | undefined;
  readonly install: { readonly debian: string; readonly macos: string; readonly windows: string };
}

/** The first executable named `name` on PATH (with PATHEXT on Windows), like `which`. */
export function onPath(name: string, path = process.env['PATH'] ?? ''): string | undefined {
  const exts = process.platform === 'win32' ? (process.env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of path.split(delimiter).filter(Boolean))
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  return undefined;
}

const file = (path: string) => (): string | undefined => (existsSync(path) ? path : undefined);

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
    find: file('/usr/share/doc/vagrant-libvirt'),
    install: {
      debian: 'sudo apt-get install vagrant-libvirt',
      macos: '(Debian/Ubuntu only: run these tests in CI or a Linux VM)',
      windows: '(Debian/Ubuntu only: run these tests in CI or WSL)',
    },
  },
  bash: {
    why: 'parses the provision scripts (bash -n)',
    find: () => onPath('bash'),
    install: {
      debian: 'sudo apt-get install bash',
      macos: 'brew install bash',
      windows: 'winget install Git.Git (Git Bash)',
    },
  },
  'posix-sh': {
    why: "runs the checks' in-pod shell scripts against stub commands",
    find: file('/bin/sh'),
    install: {
      debian: '(always present)',
      macos: '(always present)',
      windows: '(run these tests in WSL)',
    },
  },
  'linux-userland': {
    why: 'runs the provision scripts for real with stub commands (bash >= 4, mawk, coreutils in /usr/bin)',
    find: () =>
      ['/usr/bin/bash', '/usr/bin/mawk', '/usr/bin/cmp', '/usr/bin/mktemp'].every((p) => existsSync(p))
        ? '/usr/bin/bash'
        : undefined,
    install: {
      debian: 'sudo apt-get install mawk',
      macos: '(Linux only: run these tests in CI or a Linux VM)',
      windows: '(Linux only: run these tests in WSL)',
    },
  },
  'real-kubectl': {
    why: 'runs the official kubectl v1.33 (linux/amd64, from npm) against local test servers; unzip extracts it',
    find: () => (process.platform === 'linux' && process.arch === 'x64' ? onPath('unzip') : undefined),
    install: {
      debian: 'sudo apt-get install unzip (on linux/amd64)',
      macos: '(linux/amd64 only: run these tests in CI or a Linux VM)',
      windows: '(linux/amd64 only: run these tests in WSL)',
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
