// Preflight on students' machines, described by their command outputs (test/fixtures/hosts/): a Windows
// laptop (VirtualBox found as Vagrant finds it, a Korean user profile, Hyper-V/WSL2/Memory integrity,
// virtualization off in the firmware), Macs on Intel and Apple Silicon, Linux. Each finding with its exact
// message and fix, as a student reads them.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { parseConfigText } from '../../../src/config/load.ts';
import type { LabConfig } from '../../../src/config/schema.ts';
import { setLanguage } from '../../../src/i18n/index.ts';
import { runPreflight, type PreflightResult } from '../../../src/preflight/checks.ts';
import type { HostProbe } from '../../../src/preflight/host.ts';
import { WINDOWS_PROBE_SCRIPT } from '../../../src/preflight/windows.ts';
import { preflight as preflightPhase } from '../../../src/up/preflight-phase.ts';
import { fakeHost, type FakeHostSpec } from '../../helpers/host-probe.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Each test runs the stub vagrant (a node process) several times: slow on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });
const STUB_VAGRANT = join(ROOT, 'test/helpers/bin/vagrant');
const fixture = (name: string) => readFile(join(ROOT, 'test/fixtures/hosts', name), 'utf8');
const DEFAULT_CONFIG = await readFile(join(ROOT, 'lab.config.yaml'), 'utf8');

let stubDir: string;
beforeAll(async () => {
  stubDir = await mkdtemp(join(tmpdir(), 'labkit-preflight-'));
  await writeFile(join(stubDir, 'state.json'), JSON.stringify({ provider: 'virtualbox', machines: {} }));
});
afterAll(async () => {
  await rm(stubDir, { recursive: true, force: true });
});

function config(replace: [string, string][] = []): LabConfig {
  const text = replace.reduce((t, [from, to]) => {
    expect(t).toContain(from);
    return t.replace(from, to);
  }, DEFAULT_CONFIG);
  return parseConfigText('/labs/lab.config.yaml', text);
}

async function preflight(
  host: HostProbe,
  opts: { projectDir: string; vagrantVersion?: string; config?: LabConfig; reachesKubeadm?: boolean },
): Promise<Map<string, PreflightResult>> {
  const { results } = await runPreflight({
    config: opts.config ?? config(),
    configPath: '/labs/lab.config.yaml',
    projectDir: opts.projectDir,
    host,
    vagrant: {
      // The stub runs here, whatever the described host's project path is.
      cwd: stubDir,
      configPath: '/labs/lab.config.yaml',
      bin: STUB_VAGRANT,
      env: { STUB_VAGRANT_DIR: stubDir, STUB_VAGRANT_VERSION: opts.vagrantVersion ?? '2.4.9' },
    },
    ...(opts.reachesKubeadm !== undefined ? { reachesKubeadm: opts.reachesKubeadm } : {}),
  });
  const byId = new Map<string, PreflightResult>();
  for (const r of results) byId.set(r.id, r);
  return byId;
}

/** `Name=Value` lines (Get-ChildItem Env:) as an environment. */
async function windowsEnv(
  overrides: Record<string, string | undefined> = {},
): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const line of (await fixture('windows-env.txt')).split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) env[k] = v;
  const unset = Object.keys(overrides).filter((k) => overrides[k] === undefined);
  return Object.fromEntries(Object.entries(env).filter(([k]) => !unset.includes(k)));
}

const DEFAULT_VBOX = 'C:\\Program Files\\Oracle\\VirtualBox\\VBoxManage.exe';

async function windowsHost(spec: {
  env?: Record<string, string | undefined>;
  vboxManage?: string | null;
  cim?: string;
  systemProperties?: string;
  extra?: Partial<FakeHostSpec>;
}): Promise<HostProbe> {
  const vbox = spec.vboxManage === undefined ? DEFAULT_VBOX : spec.vboxManage;
  const props =
    spec.systemProperties ?? 'Default machine folder:          C:\\Users\\student\\VirtualBox VMs\r\n';
  return fakeHost({
    platform: 'win32',
    env: await windowsEnv(spec.env),
    files: vbox ? { [vbox]: '' } : {},
    commands: {
      ...(vbox
        ? {
            [`${vbox} --version`]: await fixture('windows-vboxmanage-version.txt'),
            [`${vbox} list systemproperties`]: props,
          }
        : {}),
      [`powershell.exe -NoProfile -NonInteractive -Command ${WINDOWS_PROBE_SCRIPT}`]: await fixture(
        spec.cim ?? 'windows-cim-clean.json',
      ),
    },
    ...spec.extra,
  });
}

const PROJECT = 'C:\\Users\\student\\labkit';

describe('Windows', () => {
  test('VirtualBox in its default folder is found through VBOX_MSI_INSTALL_PATH (not on PATH), as Vagrant finds it', async () => {
    const r = await preflight(await windowsHost({}), { projectDir: PROJECT });
    expect(r.get('provider')).toEqual({
      id: 'provider',
      status: 'pass',
      message:
        'VirtualBox 7.1.4 (C:\\Program Files\\Oracle\\VirtualBox\\VBoxManage.exe, found through VBOX_MSI_INSTALL_PATH)',
    });
    expect(r.get('vagrant-virtualbox')).toEqual({
      id: 'vagrant-virtualbox',
      status: 'pass',
      message: 'Vagrant 2.4.9 with VirtualBox 7.1.4: supported (VirtualBox 7.1 needs Vagrant 2.4.2 or newer)',
    });
    expect(r.get('virtualization')).toEqual({
      id: 'virtualization',
      status: 'pass',
      message:
        'hardware virtualization on, no hypervisor in the way (Intel(R) Core(TM) i7-10510U CPU @ 1.80GHz)',
    });
    expect(r.get('vagrant-home')?.status).toBe('pass');
    expect(r.get('project-path')?.status).toBe('pass');
    expect(r.get('host-only-network')?.message).toBe('192.168.56.0/24 (no range limit on Windows)');
    expect([...r.values()].filter((x) => x.status !== 'pass')).toEqual([]);
  });

  test('VirtualBox installed elsewhere (D:\\Apps\\VirtualBox) is found through VBOX_MSI_INSTALL_PATH alone', async () => {
    const vbox = 'D:\\Apps\\VirtualBox\\VBoxManage.exe';
    const host = await windowsHost({
      vboxManage: vbox,
      env: { VBOX_MSI_INSTALL_PATH: 'D:\\Apps\\VirtualBox\\' },
    });
    expect((await preflight(host, { projectDir: PROJECT })).get('provider')?.message).toBe(
      'VirtualBox 7.1.4 (D:\\Apps\\VirtualBox\\VBoxManage.exe, found through VBOX_MSI_INSTALL_PATH)',
    );
  });

  test('VBOX_INSTALL_PATH wins over VBOX_MSI_INSTALL_PATH, and the default folder over both (Vagrant driver/base.rb)', async () => {
    const host = await windowsHost({
      vboxManage: 'E:\\VB\\VBoxManage.exe',
      env: { VBOX_INSTALL_PATH: 'E:\\Nothing;E:\\VB', VBOX_MSI_INSTALL_PATH: 'D:\\Apps\\VirtualBox\\' },
    });
    expect((await preflight(host, { projectDir: PROJECT })).get('provider')?.message).toBe(
      'VirtualBox 7.1.4 (E:\\VB\\VBoxManage.exe, found through VBOX_INSTALL_PATH)',
    );
  });

  test('no VirtualBox: where Vagrant looked, and winget', async () => {
    const host = await windowsHost({ vboxManage: null, env: { VBOX_MSI_INSTALL_PATH: undefined } });
    expect((await preflight(host, { projectDir: PROJECT })).get('provider')).toEqual({
      id: 'provider',
      status: 'fail',
      message:
        'VirtualBox is not installed (no VBoxManage.exe on PATH, in VBOX_MSI_INSTALL_PATH or VBOX_INSTALL_PATH, or in C:\\Program Files\\Oracle\\VirtualBox: where Vagrant looks)',
      fix: 'Install VirtualBox: `winget install Oracle.VirtualBox` (or https://www.virtualbox.org/wiki/Downloads), then open a new PowerShell window (the installer sets VBOX_MSI_INSTALL_PATH, which Vagrant reads).',
    });
  });

  test('a Vagrant too old for the installed VirtualBox 7.1', async () => {
    const r = await preflight(await windowsHost({}), { projectDir: PROJECT, vagrantVersion: '2.4.1' });
    expect(r.get('vagrant-virtualbox')).toEqual({
      id: 'vagrant-virtualbox',
      status: 'fail',
      message:
        'Vagrant 2.4.1 with VirtualBox 7.1.4: this Vagrant does not support VirtualBox 7.1 (Vagrant 2.4.2 or newer does)',
      fix: 'Update Vagrant to 2.4.2 or newer: `winget upgrade Hashicorp.Vagrant` (or https://developer.hashicorp.com/vagrant/install), then open a new terminal; or install a VirtualBox your Vagrant supports (README, Requirements).',
    });
  });

  test('a Hangul user profile: Vagrant home and VirtualBox machine folder inside it', async () => {
    const host = await windowsHost({
      env: { USERPROFILE: 'C:\\Users\\김민준', HOMEPATH: '\\Users\\김민준' },
      systemProperties: await fixture('windows-vboxmanage-systemproperties-hangul.txt'),
    });
    const r = await preflight(host, { projectDir: 'C:\\labs\\labkit' });
    expect(r.get('vagrant-home')).toEqual({
      id: 'vagrant-home',
      status: 'fail',
      message:
        "Vagrant's home C:\\Users\\김민준\\.vagrant.d (VAGRANT_HOME is not set, so it is in your user profile) has characters Vagrant on Windows cannot handle (김, 민, 준): every vagrant command then fails with an encoding error (hashicorp/vagrant#11431, #2465)",
      fix: 'Give Vagrant a folder with an ASCII-only path, then open a new PowerShell window and run npm run lab:up again: `setx VAGRANT_HOME C:\\vagrant.d`',
    });
    expect(r.get('vm-folder')).toEqual({
      id: 'vm-folder',
      status: 'warn',
      message:
        "VirtualBox's default machine folder C:\\Users\\김민준\\VirtualBox VMs has non-ASCII characters (김, 민, 준): importing the box into it has failed for others (hashicorp/vagrant#4966)",
      fix: "Move VirtualBox's machine folder to an ASCII-only path: `& 'C:\\Program Files\\Oracle\\VirtualBox\\VBoxManage.exe' setproperty machinefolder C:\\VirtualBox-VMs`",
    });
    expect(r.get('project-path')?.status).toBe('pass');
  });

  test('a non-ASCII VAGRANT_HOME set by the student', async () => {
    const host = await windowsHost({ env: { VAGRANT_HOME: 'D:\\베이그런트' } });
    expect((await preflight(host, { projectDir: PROJECT })).get('vagrant-home')).toEqual({
      id: 'vagrant-home',
      status: 'fail',
      message:
        'VAGRANT_HOME D:\\베이그런트 has characters Vagrant on Windows cannot handle (베, 이, 그, 런, 트): every vagrant command then fails with an encoding error (hashicorp/vagrant#11431, #2465)',
      fix: 'Give Vagrant a folder with an ASCII-only path, then open a new PowerShell window and run npm run lab:up again: `setx VAGRANT_HOME C:\\vagrant.d`',
    });
  });

  test('VAGRANT_HOME moved to C:\\vagrant.d makes a Hangul profile fine for Vagrant', async () => {
    const host = await windowsHost({
      env: { USERPROFILE: 'C:\\Users\\김민준', VAGRANT_HOME: 'C:\\vagrant.d' },
    });
    expect((await preflight(host, { projectDir: 'C:\\labs\\labkit' })).get('vagrant-home')).toEqual({
      id: 'vagrant-home',
      status: 'pass',
      message: 'VAGRANT_HOME C:\\vagrant.d: ASCII-only path',
    });
  });

  test('a project path with spaces and Hangul: the Hangul is the problem, the spaces are not', async () => {
    const r = await preflight(await windowsHost({}), {
      projectDir: 'C:\\Users\\student\\내 문서\\k8s lab\\labkit',
    });
    expect(r.get('project-path')).toEqual({
      id: 'project-path',
      status: 'fail',
      message:
        "the project folder C:\\Users\\student\\내 문서\\k8s lab\\labkit has characters Vagrant on Windows cannot handle (내, 문, 서): Vagrant keeps each VM's state and SSH key under it and breaks on such paths (hashicorp/vagrant#8276, #11431)",
      fix: 'Move the labkit folder to a path of ASCII letters, digits, spaces, - and _ only (for example C:\\labs\\labkit), open PowerShell there and run npm run lab:up again.',
    });
    expect(
      (await preflight(await windowsHost({}), { projectDir: 'C:\\Users\\student\\k8s lab\\labkit' })).get(
        'project-path',
      )?.status,
    ).toBe('pass');
  });

  test('Memory integrity and WSL2 keep a hypervisor running: a warning with what to switch off', async () => {
    const r = await preflight(await windowsHost({ cim: 'windows-cim-hypervisor.json' }), {
      projectDir: PROJECT,
    });
    expect(r.get('virtualization')).toEqual({
      id: 'virtualization',
      status: 'warn',
      message:
        'a hypervisor is running (Win32_ComputerSystem.HypervisorPresent: True; on: Memory integrity (Core isolation), Virtual Machine Platform (WSL2)): VirtualBox then runs the VMs through Hyper-V, several times slower, and kubeadm or image pulls can time out',
      fix: 'For full speed, switch off what turns the hypervisor on, then restart Windows: Memory integrity in Windows Security > Device security > Core isolation details; Hyper-V, Virtual Machine Platform (WSL2 needs it) and Windows Sandbox with `Disable-WindowsOptionalFeature -Online -FeatureName <name>` in an administrator PowerShell (or keep them installed and run `bcdedit /set hypervisorlaunchtype off`, as administrator; `bcdedit /set hypervisorlaunchtype auto` turns it back on). lab:up still works as it is, only slower.',
    });
  });

  test('virtualization switched off in the firmware: an error, VirtualBox cannot start a VM', async () => {
    const r = await preflight(await windowsHost({ cim: 'windows-cim-vtx-off.json' }), {
      projectDir: PROJECT,
    });
    expect(r.get('virtualization')).toEqual({
      id: 'virtualization',
      status: 'fail',
      message:
        'hardware virtualization is switched off in the firmware (Win32_Processor.VirtualizationFirmwareEnabled: False): VirtualBox cannot start 64-bit VMs until it is on',
      fix: 'Restart into the UEFI/BIOS setup (Settings > System > Recovery > Advanced startup > Restart now > Troubleshoot > Advanced options > UEFI Firmware Settings), enable Intel Virtualization Technology (VT-x) or SVM Mode (AMD-V), save, and run `npm run lab:up` again.',
    });
  });

  test('PowerShell that cannot answer only warns', async () => {
    const host = await windowsHost({});
    const broken: HostProbe = {
      ...host,
      run: async (bin, args) =>
        bin === 'powershell.exe'
          ? { exitCode: 1, stdout: '', stderr: 'Get-CimInstance : Access denied' }
          : host.run(bin, args),
    };
    expect((await preflight(broken, { projectDir: PROJECT })).get('virtualization')).toMatchObject({
      status: 'warn',
      message:
        'could not read the virtualization settings through PowerShell (powershell.exe exited 1: Get-CimInstance : Access denied)',
    });
  });
});

async function macHost(spec: {
  uname: string;
  appleSilicon: boolean;
  vboxVersion?: string;
}): Promise<HostProbe> {
  const vbox = '/usr/local/bin/VBoxManage';
  return fakeHost({
    platform: 'darwin',
    arch: spec.uname === 'arm64' ? 'arm64' : 'x64',
    env: { PATH: '/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin', HOME: '/Users/student' },
    files: { [vbox]: '' },
    commands: {
      [`${vbox} --version`]: spec.vboxVersion ?? (await fixture('macos-vboxmanage-version.txt')),
      [`${vbox} list systemproperties`]: 'Default machine folder:          /Users/student/VirtualBox VMs\n',
      'uname -m': `${spec.uname}\n`,
      'sysctl -n hw.optional.arm64': spec.appleSilicon
        ? '1\n'
        : { exitCode: 1, stdout: '', stderr: "sysctl: unknown oid 'hw.optional.arm64'\n" },
      sw_vers: await fixture('macos-sw_vers.txt'),
    },
  });
}

describe('macOS', () => {
  test('Apple Silicon: VirtualBox 7.1 and the arm64 build of the box, and why', async () => {
    const r = await preflight(await macHost({ uname: 'arm64', appleSilicon: true }), {
      projectDir: '/Users/student/labkit',
    });
    expect(r.get('provider')).toEqual({
      id: 'provider',
      status: 'pass',
      message: 'VirtualBox 7.1.4 (/usr/local/bin/VBoxManage)',
    });
    expect(r.get('box')).toEqual({
      id: 'box',
      status: 'pass',
      message:
        'bento/ubuntu-22.04 202510.26.0, arm64 build: vagrant.boxArchitecture is auto and macOS 14.5: this Mac has an Apple Silicon CPU (sysctl hw.optional.arm64: 1)',
    });
  });

  test('Apple Silicon with a terminal under Rosetta (uname -m says x86_64) still gets the arm64 box', async () => {
    const r = await preflight(await macHost({ uname: 'x86_64', appleSilicon: true }), {
      projectDir: '/Users/student/labkit',
    });
    expect(r.get('box')?.message).toBe(
      'bento/ubuntu-22.04 202510.26.0, arm64 build: vagrant.boxArchitecture is auto and macOS 14.5: this Mac has an Apple Silicon CPU (sysctl hw.optional.arm64: 1; uname -m says x86_64 because this terminal runs under Rosetta)',
    );
  });

  test('Apple Silicon with VirtualBox 7.0: an error, 7.1 is the first to run VMs there', async () => {
    const r = await preflight(
      await macHost({ uname: 'arm64', appleSilicon: true, vboxVersion: '7.0.8r156879\n' }),
      {
        projectDir: '/Users/student/labkit',
      },
    );
    expect(r.get('provider')).toEqual({
      id: 'provider',
      status: 'fail',
      message:
        "VirtualBox 7.0.8 on Apple Silicon: VirtualBox runs VMs there from 7.1 (7.0's arm64 build was a developer preview)",
      fix: 'Install VirtualBox 7.1 or newer for Apple Silicon: `brew install --cask virtualbox` (or the "macOS / Apple Silicon hosts" package from https://www.virtualbox.org/wiki/Downloads).',
    });
  });

  test('Apple Silicon with the box pinned to amd64: an error', async () => {
    const r = await preflight(await macHost({ uname: 'arm64', appleSilicon: true }), {
      projectDir: '/Users/student/labkit',
      config: config([['boxArchitecture: auto', 'boxArchitecture: amd64']]),
    });
    expect(r.get('box')).toEqual({
      id: 'box',
      status: 'fail',
      message:
        'bento/ubuntu-22.04 202510.26.0, amd64 build: VirtualBox runs only arm64 guests on this host (macOS 14.5: this Mac has an Apple Silicon CPU (sysctl hw.optional.arm64: 1))',
      fix: 'Set vagrant.boxArchitecture: auto (or remove it) in the config.',
    });
  });

  test('Intel Mac: the amd64 box; VirtualBox 7.0 needs Vagrant 2.3.3 there (private network fix)', async () => {
    const r = await preflight(
      await macHost({ uname: 'x86_64', appleSilicon: false, vboxVersion: '7.0.20r163906\n' }),
      {
        projectDir: '/Users/student/labkit',
        vagrantVersion: '2.3.2',
      },
    );
    expect(r.get('box')?.message).toBe(
      'bento/ubuntu-22.04 202510.26.0, amd64 build: vagrant.boxArchitecture is auto and macOS 14.5: this Mac has an Intel CPU (uname -m: x86_64)',
    );
    expect(r.get('vagrant-virtualbox')).toEqual({
      id: 'vagrant-virtualbox',
      status: 'fail',
      message:
        'Vagrant 2.3.2 with VirtualBox 7.0.20: this Vagrant does not support VirtualBox 7.0 (Vagrant 2.3.3 or newer does: 2.3.3 fixed the private network for VirtualBox 7 on macOS)',
      fix: 'Update Vagrant to 2.3.3 or newer: `brew upgrade hashicorp/tap/hashicorp-vagrant` (or https://developer.hashicorp.com/vagrant/install), then open a new terminal; or install a VirtualBox your Vagrant supports (README, Requirements).',
    });
  });

  test('no VirtualBox on a Mac: Homebrew', async () => {
    const host = fakeHost({
      platform: 'darwin',
      arch: 'arm64',
      env: { PATH: '/opt/homebrew/bin:/usr/bin:/bin', HOME: '/Users/student' },
      commands: {
        'uname -m': 'arm64\n',
        'sysctl -n hw.optional.arm64': '1\n',
        sw_vers: await fixture('macos-sw_vers.txt'),
      },
    });
    expect((await preflight(host, { projectDir: '/Users/student/labkit' })).get('provider')).toEqual({
      id: 'provider',
      status: 'fail',
      message: 'VirtualBox is not installed (VBoxManage not found on PATH)',
      fix: 'Install VirtualBox 7.1 or newer for Apple Silicon: `brew install --cask virtualbox` (or the "macOS / Apple Silicon hosts" package from https://www.virtualbox.org/wiki/Downloads).',
    });
  });
});

describe('Linux', () => {
  const linux = (extra: Partial<FakeHostSpec> = {}) =>
    fakeHost({
      platform: 'linux',
      env: { PATH: '/usr/bin:/bin', HOME: '/home/student' },
      files: { '/usr/bin/VBoxManage': '' },
      commands: { '/usr/bin/VBoxManage --version': '7.0.14r161095\n', 'uname -m': 'x86_64\n' },
      ...extra,
    });

  test("VirtualBox's kernel module not loaded: vboxconfig; and what works meanwhile", async () => {
    const host = linux({
      commands: {
        '/usr/bin/VBoxManage --version': await fixture('linux-vboxmanage-version-no-kmod.txt'),
        'uname -m': 'x86_64\n',
      },
    });
    expect((await preflight(host, { projectDir: '/home/student/labkit' })).get('provider')).toEqual({
      id: 'provider',
      status: 'fail',
      message:
        'VirtualBox is installed but its kernel module is not loaded (/usr/bin/VBoxManage: "WARNING: The vboxdrv kernel module is not loaded. Either there is no module")',
      fix: 'Build and load it: `sudo /sbin/vboxconfig` (with Secure Boot, enrol the key it asks for and reboot), then run npm run lab:up again. Or use libvirt: `sudo apt-get install vagrant-libvirt libvirt-daemon-system` and set vagrant.provider: libvirt in /labs/lab.config.yaml. To try labkit without any VM: `sudo npm run lab:up -- --provider simulated` (a simulated cluster; see README).',
    });
  });

  test('in Korean: the kernel module, the fix and what works meanwhile; commands and paths as they are', async () => {
    const host = linux({
      commands: {
        '/usr/bin/VBoxManage --version': await fixture('linux-vboxmanage-version-no-kmod.txt'),
        'uname -m': 'x86_64\n',
      },
    });
    setLanguage('ko');
    try {
      const r = await preflight(host, { projectDir: '/home/student/labkit' });
      expect(r.get('provider')).toEqual({
        id: 'provider',
        status: 'fail',
        message:
          'VirtualBox는 설치되어 있지만 커널 모듈이 로드되지 않았습니다 (/usr/bin/VBoxManage: "WARNING: The vboxdrv kernel module is not loaded. Either there is no module")',
        fix: '커널 모듈을 빌드하고 로드하세요: `sudo /sbin/vboxconfig` (Secure Boot를 쓰면 요청하는 키를 등록하고 재부팅하세요). 그런 다음 npm run lab:up을 다시 실행하세요. 또는 libvirt를 쓰세요: `sudo apt-get install vagrant-libvirt libvirt-daemon-system`을 실행하고 /labs/lab.config.yaml에서 vagrant.provider: libvirt로 설정하세요. VM 없이 labkit을 써 보려면: `sudo npm run lab:up -- --provider simulated` (시뮬레이션 클러스터; README 참고).',
      });
      expect(r.get('memory')?.message).toMatch(/^VM에 \d+ MB가 필요합니다\. 호스트 메모리는 \d+ MB입니다/);
      expect(r.get('host-only-network')?.message).toMatch(/에서 허용됨$/);
    } finally {
      setLanguage('en');
    }
  });

  test('Vagrant 2.3.4 (Debian 12) with VirtualBox 7.1: the pair Vagrant refuses', async () => {
    const host = linux({
      commands: { '/usr/bin/VBoxManage --version': '7.1.6r167084\n', 'uname -m': 'x86_64\n' },
    });
    expect(
      (await preflight(host, { projectDir: '/home/student/labkit', vagrantVersion: '2.3.4' })).get(
        'vagrant-virtualbox',
      ),
    ).toMatchObject({
      status: 'fail',
      message:
        'Vagrant 2.3.4 with VirtualBox 7.1.6: this Vagrant does not support VirtualBox 7.1 (Vagrant 2.4.2 or newer does)',
    });
  });

  test('a VirtualBox newer than labkit knows only warns', async () => {
    const host = linux({
      commands: { '/usr/bin/VBoxManage --version': '7.3.0r170000\n', 'uname -m': 'x86_64\n' },
    });
    expect(
      (await preflight(host, { projectDir: '/home/student/labkit' })).get('vagrant-virtualbox'),
    ).toMatchObject({
      status: 'warn',
      message:
        "Vagrant 2.4.9 with VirtualBox 7.3.0: labkit knows Vagrant's support up to VirtualBox 7.2; VirtualBox 7.3 may need a newer Vagrant than yours",
    });
  });

  test('arm64 Linux (uname -m aarch64) picks the arm64 box', async () => {
    const host = linux({
      arch: 'arm64',
      commands: { '/usr/bin/VBoxManage --version': '7.1.6r167084\n', 'uname -m': 'aarch64\n' },
    });
    expect((await preflight(host, { projectDir: '/home/student/labkit' })).get('box')?.message).toBe(
      'bento/ubuntu-22.04 202510.26.0, arm64 build: vagrant.boxArchitecture is auto and uname -m: aarch64',
    );
  });
});

describe('disk space (all hosts)', () => {
  const home = '/home/student';
  const host = (freeMb: number, extra: Partial<FakeHostSpec> = {}) =>
    fakeHost({
      platform: 'linux',
      env: { PATH: '/usr/bin', HOME: home },
      files: { '/usr/bin/VBoxManage': '' },
      commands: { '/usr/bin/VBoxManage --version': '7.0.20r163906\n', 'uname -m': 'x86_64\n' },
      disks: { '/home': { freeMb, device: 'sda2' } },
      ...extra,
    });

  test('a first lab:up needs the box, three VM disks and the snapshot memory', async () => {
    const r = await preflight(host(40 * 1024), { projectDir: `${home}/labkit` });
    expect(r.get('disk')).toEqual({
      id: 'disk',
      status: 'pass',
      message:
        'lab:up needs 17 GB (box 3 GB, 3 new VMs 9 GB, snapshot memory 5 GB; free: 40 GB for /home/student/.vagrant.d and /home/student/VirtualBox VMs)',
    });
  });

  test('too little: how much to free, and what else helps', async () => {
    const r = await preflight(host(10 * 1024), { projectDir: `${home}/labkit` });
    expect(r.get('disk')).toEqual({
      id: 'disk',
      status: 'fail',
      message:
        'not enough free disk space: /home/student/.vagrant.d and /home/student/VirtualBox VMs need 17 GB, 10 GB free (box 3 GB, 3 new VMs 9 GB, snapshot memory 5 GB)',
      fix: "Free 7 GB (old boxes: `vagrant box list`, `vagrant box prune`), or set snapshot.enabled: false in /labs/lab.config.yaml (no lab:reset then), or move VirtualBox's machine folder to a larger disk (`VBoxManage setproperty machinefolder <folder>`).",
    });
  });

  test('too little, in Korean: how much to free and what else helps; the Vagrant/VirtualBox pair', async () => {
    setLanguage('ko');
    try {
      const r = await preflight(host(10 * 1024), { projectDir: `${home}/labkit` });
      expect(r.get('disk')).toEqual({
        id: 'disk',
        status: 'fail',
        message:
          '디스크 여유 공간이 부족합니다: /home/student/.vagrant.d, /home/student/VirtualBox VMs: 17 GB 필요, 여유 공간 10 GB (box 3 GB, 새 VM 3개 9 GB, 스냅샷 메모리 5 GB)',
        fix: '7 GB를 확보하세요 (오래된 box: `vagrant box list`, `vagrant box prune`). 또는 /labs/lab.config.yaml에서 snapshot.enabled: false로 설정하세요 (그러면 lab:reset을 쓸 수 없습니다). 또는 VirtualBox의 머신 폴더를 더 큰 디스크로 옮기세요 (`VBoxManage setproperty machinefolder <folder>`).',
      });
      expect(r.get('vagrant-virtualbox')?.message).toBe(
        'Vagrant 2.4.9와 VirtualBox 7.0.20: 지원됨 (VirtualBox 7.0에는 Vagrant 2.3.2 이상이 필요합니다)',
      );
      expect(r.get('control-plane-size')?.message).toMatch(
        /^master-node: CPU 2개, 메모리 \d+ MB \(kubeadm에는/,
      );
    } finally {
      setLanguage('en');
    }
  });

  test('a re-run: the box is downloaded and the VMs exist, so nothing more is needed', async () => {
    const project = `${home}/labkit`;
    const r = await preflight(
      host(1024, {
        dirs: [`${home}/.vagrant.d/boxes/bento-VAGRANTSLASH-ubuntu-22.04/202510.26.0`],
        files: {
          '/usr/bin/VBoxManage': '',
          ...Object.fromEntries(
            ['master-node', 'worker-node01', 'worker-node02'].map((n) => [
              `${project}/.vagrant/machines/${n}/virtualbox/id`,
              'uuid',
            ]),
          ),
        },
      }),
      { projectDir: project },
    );
    expect(r.get('disk')?.status).toBe('pass');
    expect(r.get('disk')?.message).toBe(
      'lab:up needs 0 GB (box bento/ubuntu-22.04 202510.26.0 already downloaded, all VMs already created; free: 1 GB for /home/student/.vagrant.d and /home/student/VirtualBox VMs)',
    );
  });

  test('boxes and VMs on different disks are checked apart (Windows: VAGRANT_HOME on D:)', async () => {
    const win = await windowsHost({
      env: { VAGRANT_HOME: 'D:\\vagrant.d' },
      extra: {
        disks: { 'C:\\': { freeMb: 4 * 1024, device: 'C' }, 'D:\\': { freeMb: 100 * 1024, device: 'D' } },
      },
    });
    expect((await preflight(win, { projectDir: PROJECT })).get('disk')).toMatchObject({
      status: 'fail',
      message:
        'not enough free disk space: C:\\Users\\student\\VirtualBox VMs needs 14 GB, 4 GB free (box 3 GB, 3 new VMs 9 GB, snapshot memory 5 GB)',
    });
  });
});

describe('what lab:up shows', () => {
  test('the provider and box it will use and why, under the preflight line; the summary says it short', async () => {
    const shown: string[] = [];
    const host = await macHost({ uname: 'arm64', appleSilicon: true });
    const detail = await preflightPhase(
      {
        config: config(),
        configPath: '/labs/lab.config.yaml',
        projectDir: '/Users/student/labkit',
        stateDir: '/Users/student/labkit/.lab',
        vagrant: {
          cwd: stubDir,
          configPath: '/labs/lab.config.yaml',
          bin: STUB_VAGRANT,
          env: { STUB_VAGRANT_DIR: stubDir, STUB_VAGRANT_VERSION: '2.4.9' },
        },
        host,
        connect: () => Promise.reject(new Error('no SSH in preflight')),
        waits: { readyTimeoutMs: 1, pollIntervalMs: 1 },
      },
      (text) => shown.push(text),
      true,
    );
    expect(shown.at(-1)?.split('\n')).toEqual([
      'provider: VirtualBox 7.1.4 (/usr/local/bin/VBoxManage) (vagrant.provider: virtualbox in /labs/lab.config.yaml)',
      'box: bento/ubuntu-22.04 202510.26.0, arm64 build: vagrant.boxArchitecture is auto and macOS 14.5: this Mac has an Apple Silicon CPU (sysctl hw.optional.arm64: 1)',
    ]);
    expect(detail).toMatch(
      /^VirtualBox 7\.1\.4 \(vagrant\.provider: virtualbox\), box bento\/ubuntu-22\.04 202510\.26\.0, arm64 build; \d+ checks passed$/,
    );
  });
});
