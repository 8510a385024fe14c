// Windows hosts: what breaks Vagrant + VirtualBox there before a VM boots. Paths Vagrant cannot handle
// (non-ASCII user profiles are common, e.g. a Korean user name), and whether VirtualBox gets the CPU's
// virtualization to itself (an active Hyper-V hypervisor makes it slow; switched off in the firmware, it
// cannot run at all). Read through PowerShell CIM, which needs no administrator rights.
import { t } from '../i18n/index.ts';
import { win32 } from 'node:path';
import { z } from 'zod';
import { envValue, type HostProbe } from './host.ts';
import type { PreflightResult } from './result.ts';

/** One PowerShell run: the CIM properties preflight reads, as one JSON object (Windows PowerShell 5.1,
 *  present on every Windows 10/11). Fixed text: nothing from the user goes into it. */
export const WINDOWS_PROBE_SCRIPT = [
  "$ErrorActionPreference = 'SilentlyContinue'",
  '$cs = Get-CimInstance -ClassName Win32_ComputerSystem',
  '$cpu = @(Get-CimInstance -ClassName Win32_Processor)',
  '$dg = Get-CimInstance -Namespace root/Microsoft/Windows/DeviceGuard -ClassName Win32_DeviceGuard',
  `$ft = @(Get-CimInstance -ClassName Win32_OptionalFeature -Filter "Name='Microsoft-Hyper-V-Hypervisor' OR Name='VirtualMachinePlatform' OR Name='HypervisorPlatform' OR Name='Containers-DisposableClientVM'")`,
  '[pscustomobject]@{',
  '  HypervisorPresent = $cs.HypervisorPresent',
  '  Processors = @($cpu | ForEach-Object { [pscustomobject]@{ Name = $_.Name; VirtualizationFirmwareEnabled = $_.VirtualizationFirmwareEnabled; VMMonitorModeExtensions = $_.VMMonitorModeExtensions } })',
  '  DeviceGuard = if ($dg) { [pscustomobject]@{ VirtualizationBasedSecurityStatus = $dg.VirtualizationBasedSecurityStatus; SecurityServicesRunning = @($dg.SecurityServicesRunning) } } else { $null }',
  '  OptionalFeatures = @($ft | ForEach-Object { [pscustomobject]@{ Name = $_.Name; InstallState = $_.InstallState } })',
  '} | ConvertTo-Json -Depth 4 -Compress',
].join('\n');

// Windows PowerShell 5.1 sometimes serializes an array as {"value":[...],"Count":n} (the ETS Count property
// of System.Array), and a one-element array as the bare element: accept all three shapes.
function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => {
    if (v === null || v === undefined) return [];
    if (Array.isArray(v)) return v;
    if (typeof v === 'object' && 'value' in v && Array.isArray(v.value)) return v.value;
    return [v];
  }, z.array(item));
}

const windowsFactsSchema = z.object({
  HypervisorPresent: z.boolean().nullish(),
  Processors: listOf(
    z.object({
      Name: z.string().nullish(),
      VirtualizationFirmwareEnabled: z.boolean().nullish(),
      VMMonitorModeExtensions: z.boolean().nullish(),
    }),
  ),
  DeviceGuard: z
    .object({
      // 0: off, 1: configured but not running, 2: running
      VirtualizationBasedSecurityStatus: z.number().nullish(),
      // 1: Credential Guard, 2: memory integrity (HVCI), 3: System Guard Secure Launch
      SecurityServicesRunning: listOf(z.number()),
    })
    .nullish(),
  // InstallState 1: enabled, 2: disabled, 3: absent
  OptionalFeatures: listOf(z.object({ Name: z.string(), InstallState: z.number().nullish() })),
});

export type WindowsFacts = z.infer<typeof windowsFactsSchema>;

export type WindowsFactsReading =
  { readonly ok: true; readonly facts: WindowsFacts } | { readonly ok: false; readonly reason: string };

export function parseWindowsFacts(stdout: string): WindowsFactsReading {
  let data: unknown;
  try {
    data = JSON.parse(stdout.trim());
  } catch {
    return { ok: false, reason: `PowerShell printed no JSON: ${stdout.trim().slice(0, 120) || '(nothing)'}` };
  }
  const parsed = windowsFactsSchema.safeParse(data);
  return parsed.success
    ? { ok: true, facts: parsed.data }
    : { ok: false, reason: `unexpected CIM output: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
}

export async function readWindowsFacts(host: HostProbe): Promise<WindowsFactsReading> {
  const out = await host.run('powershell.exe', [
    '-NoProfile',
    '-NonInteractive',
    '-Command',
    WINDOWS_PROBE_SCRIPT,
  ]);
  if (!out) return { ok: false, reason: 'powershell.exe was not found' };
  if (out.exitCode !== 0)
    return {
      ok: false,
      reason: `powershell.exe exited ${out.exitCode}: ${(out.stderr ?? out.stdout).trim().slice(0, 200)}`,
    };
  return parseWindowsFacts(out.stdout);
}

const FEATURE_NAMES: Readonly<Record<string, string>> = {
  'Microsoft-Hyper-V-Hypervisor': 'Hyper-V',
  VirtualMachinePlatform: 'Virtual Machine Platform (WSL2)',
  'Containers-DisposableClientVM': 'Windows Sandbox',
  HypervisorPlatform: 'Windows Hypervisor Platform',
};

/** Hypervisor and firmware virtualization: a warning where VirtualBox only gets slower, an error where it
 *  cannot start a VM. */
export function checkVirtualization(reading: WindowsFactsReading): PreflightResult {
  if (!reading.ok) {
    return {
      id: 'virtualization',
      status: 'warn',
      message: t().preflight.virtUnread(reading.reason),
      fix: t().preflight.virtUnreadFix,
    };
  }
  const f = reading.facts;
  if (f.HypervisorPresent === true) {
    // With a hypervisor running, Windows itself is a guest: Win32_Processor then reports
    // VirtualizationFirmwareEnabled and VMMonitorModeExtensions as False although they are on, so they are
    // not read here.
    const causes = f.OptionalFeatures.filter((o) => o.InstallState === 1).flatMap((o) => {
      const name = FEATURE_NAMES[o.Name];
      return name && o.Name !== 'HypervisorPlatform' ? [name] : [];
    });
    const vbs = f.DeviceGuard;
    if (vbs?.VirtualizationBasedSecurityStatus === 2) {
      if (vbs.SecurityServicesRunning.includes(2)) causes.unshift('Memory integrity (Core isolation)');
      if (vbs.SecurityServicesRunning.includes(1)) causes.push('Credential Guard');
      if (!vbs.SecurityServicesRunning.some((s) => s === 1 || s === 2))
        causes.push('Virtualization-based security');
    }
    return {
      id: 'virtualization',
      status: 'warn',
      message: t().preflight.hypervisor(causes.join(', ')),
      fix: t().preflight.hypervisorFix,
    };
  }
  const cpu = f.Processors[0];
  if (cpu?.VMMonitorModeExtensions === false) {
    return {
      id: 'virtualization',
      status: 'fail',
      message: t().preflight.noVtx(cpu.Name?.trim() ?? 'unknown'),
      fix: t().preflight.noVtxFix,
    };
  }
  if (f.Processors.some((p) => p.VirtualizationFirmwareEnabled === false)) {
    return {
      id: 'virtualization',
      status: 'fail',
      message: t().preflight.vtxOff,
      fix: t().preflight.vtxOffFix,
    };
  }
  return {
    id: 'virtualization',
    status: 'pass',
    message: t().preflight.virtOk(cpu?.Name?.trim() ?? ''),
  };
}

/** Characters Vagrant on Windows cannot take in a path: anything beyond printable ASCII, and `%` together
 *  with a space (lib/vagrant/util/ssh.rb: such an SSH key path "is not supported and will fail"). */
export function unsafePathCharacters(path: string): string[] {
  const odd = new Set<string>();
  for (const ch of path) {
    const code = ch.codePointAt(0) ?? 0;
    if (code > 0x7e || code < 0x20) odd.add(ch);
  }
  if (path.includes('%') && path.includes(' ')) odd.add('%');
  return [...odd];
}

function listChars(chars: readonly string[]): string {
  const shown = chars
    .slice(0, 6)
    .map((c) =>
      (c.codePointAt(0) ?? 0) < 0x20 ? `U+${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}` : c,
    );
  return `${shown.join(', ')}${chars.length > 6 ? `, … (${chars.length} in all)` : ''}`;
}

function psQuote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export interface WindowsPathsInput {
  readonly host: HostProbe;
  readonly projectDir: string;
  /** VirtualBox's default machine folder, when known. */
  readonly machineFolder?: string;
  readonly vboxManage?: string;
}

/** Vagrant's home, the project folder and VirtualBox's machine folder, checked for what Vagrant on Windows
 *  cannot handle (hashicorp/vagrant#11431, #2465, #8276, #4966). */
export function checkWindowsPaths({
  host,
  projectDir,
  machineFolder,
  vboxManage,
}: WindowsPathsInput): PreflightResult[] {
  const results: PreflightResult[] = [];
  const profile = envValue(host, 'USERPROFILE');
  const vagrantHomeSet = envValue(host, 'VAGRANT_HOME');
  // As Vagrant's user_data_path: VAGRANT_HOME, else %USERPROFILE%/.vagrant.d.
  const vagrantHome =
    vagrantHomeSet ?? (profile !== undefined ? win32.join(profile, '.vagrant.d') : undefined);
  if (vagrantHome !== undefined) {
    const odd = unsafePathCharacters(vagrantHome);
    const say = t().preflight;
    const where =
      vagrantHomeSet !== undefined ? say.vagrantHomeSet(vagrantHome) : say.vagrantHomeProfile(vagrantHome);
    results.push(
      odd.length > 0
        ? {
            id: 'vagrant-home',
            status: 'fail',
            message: say.vagrantHomeBad(where, listChars(odd)),
            fix: say.vagrantHomeFix,
          }
        : { id: 'vagrant-home', status: 'pass', message: say.asciiOk(where) },
    );
  }
  const projectOdd = unsafePathCharacters(projectDir);
  results.push(
    projectOdd.length > 0
      ? {
          id: 'project-path',
          status: 'fail',
          message: t().preflight.projectBad(projectDir, listChars(projectOdd)),
          fix: t().preflight.projectFix,
        }
      : { id: 'project-path', status: 'pass', message: t().preflight.projectOk(projectDir) },
  );
  if (machineFolder !== undefined) {
    const odd = unsafePathCharacters(machineFolder);
    if (odd.length > 0)
      results.push({
        id: 'vm-folder',
        status: 'warn',
        message: t().preflight.vmFolderBad(machineFolder, listChars(odd)),
        fix: t().preflight.vmFolderFix(
          `& ${psQuote(vboxManage ?? 'VBoxManage.exe')} setproperty machinefolder C:\\VirtualBox-VMs`,
        ),
      });
  }
  return results;
}
