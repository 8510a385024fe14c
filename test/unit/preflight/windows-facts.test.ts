// The PowerShell CIM probe's output in the shapes Windows PowerShell 5.1 produces, and what is not its output.
import { describe, expect, test } from 'vitest';
import {
  checkVirtualization,
  parseWindowsFacts,
  unsafePathCharacters,
} from '../../../src/preflight/windows.ts';

describe('parsing the CIM probe', () => {
  test('arrays as PowerShell 5.1 may write them: {"value":[...],"Count":n}, a bare element, null', () => {
    const reading = parseWindowsFacts(
      JSON.stringify({
        HypervisorPresent: false,
        Processors: {
          value: [{ Name: 'cpu', VirtualizationFirmwareEnabled: true, VMMonitorModeExtensions: true }],
          Count: 1,
        },
        DeviceGuard: { VirtualizationBasedSecurityStatus: 0, SecurityServicesRunning: 0 },
        OptionalFeatures: null,
      }),
    );
    expect(reading).toEqual({
      ok: true,
      facts: {
        HypervisorPresent: false,
        Processors: [{ Name: 'cpu', VirtualizationFirmwareEnabled: true, VMMonitorModeExtensions: true }],
        DeviceGuard: { VirtualizationBasedSecurityStatus: 0, SecurityServicesRunning: [0] },
        OptionalFeatures: [],
      },
    });
  });

  test('not JSON (a profile that printed something, an error text) is a reading that failed, not a crash', () => {
    expect(parseWindowsFacts('Get-CimInstance : Access denied')).toEqual({
      ok: false,
      reason: 'PowerShell printed no JSON: Get-CimInstance : Access denied',
    });
    expect(parseWindowsFacts('{"HypervisorPresent":"yes"}').ok).toBe(false);
  });

  test('a CPU without VT-x/AMD-V at all: no provider can work on it', () => {
    const reading = parseWindowsFacts(
      '{"HypervisorPresent":false,"Processors":[{"Name":"Intel(R) Celeron(R) CPU N2840","VirtualizationFirmwareEnabled":false,"VMMonitorModeExtensions":false}],"DeviceGuard":null,"OptionalFeatures":[]}',
    );
    expect(checkVirtualization(reading)).toEqual({
      id: 'virtualization',
      status: 'fail',
      message:
        'this CPU (Intel(R) Celeron(R) CPU N2840) has no hardware virtualization (Win32_Processor.VMMonitorModeExtensions: False): VirtualBox cannot start 64-bit VMs on it',
      fix: 'No VM provider can work on this computer: use another one for the lab (see README, "On Windows").',
    });
  });
});

describe('path characters Vagrant on Windows cannot take', () => {
  test.each([
    ['C:\\Users\\student\\labkit', []],
    ['C:\\Users\\student\\my labs\\labkit', []],
    ['C:\\Users\\김민준\\labkit', ['김', '민', '준']],
    ['C:\\Users\\José\\labkit', ['é']],
    ['C:\\100%\\labkit', []],
    ['C:\\100% done\\labkit', ['%']],
  ])('%s', (path, chars) => {
    expect(unsafePathCharacters(path)).toEqual(chars);
  });
});
