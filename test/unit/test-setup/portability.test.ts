// npm test must pass with Node alone on Windows and macOS: every test file that spawns a shell or another
// program, writes a shebang stub, checks POSIX file modes or makes a symlink is gated by a registered tool
// (test/helpers/portability-scan.ts), and the POSIX-only tools are missing on Windows.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { NOT_ON_WINDOWS, scanTests } from '../../helpers/portability-scan.ts';
import { skippedSummary } from '../../helpers/skipped-tools-reporter.ts';
import { TOOLS, testPlatform } from '../../helpers/tools.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dirs: readonly string[], ext: string): Map<string, string> {
  const all = new Map<string, string>();
  for (const dir of dirs)
    for (const entry of readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })) {
      if (!entry.endsWith(ext)) continue;
      const path = relative(ROOT, join(ROOT, dir, entry)).replaceAll('\\', '/');
      all.set(path.slice(0, path.length - ext.length + '.ts'.length), readFileSync(join(ROOT, path), 'utf8'));
    }
  return all;
}

/** Files that import a gated helper but, as observed in the Node-only run (no /bin/sh), never use the part
 *  that needs the tool. Each waives only needs found in `source`. */
const WAIVED: readonly { file: string; source: string; why: string }[] = [
  {
    file: 'test/unit/checks/client-pod.test.ts',
    source: 'test/unit/checks/fake-cluster.ts',
    why: 'creates, waits for and deletes client pods; never execs a script in one',
  },
  {
    file: 'test/unit/checks/service-env.test.ts',
    source: 'test/unit/checks/fake-cluster.ts',
    why: 'execs only `env`, which the fake cluster answers without a shell',
  },
];

describe('the portability scan', () => {
  const fixtures = sources(['test/fixtures/portability'], '.ts.txt');

  test('finds each ungated need, also in an imported test module', () => {
    const findings = scanTests(fixtures).filter((f) => f.file.endsWith('/ungated.test.ts'));
    expect(findings.map((f) => f.message)).toEqual([
      "test/fixtures/portability/ungated.test.ts:9 spawns `/bin/sh`: register the suite with describeWithTools(['posix-sh' | 'linux-shell' | 'linux-userland'], ...)",
      'test/fixtures/portability/ungated.test.ts:10 spawns `npx`: make it portable (process.execPath for node, fileURLToPath for paths) or register the tool',
      'test/fixtures/portability/ungated.test.ts:5 URL.pathname as a file path: make it portable (process.execPath for node, fileURLToPath for paths) or register the tool',
      'test/fixtures/portability/ungated.test.ts:14 a stub of test/helpers/bin beside node:child_process: launch the stub with execa',
      "test/fixtures/portability/stub-helper.ts:3 a shebang script: register the suite with describeWithTools(['posix-sh' | 'bash' | 'linux-shell' | 'linux-userland'], ...)",
      "test/fixtures/portability/stub-helper.ts:4 a symlink: register the suite with describeWithTools(['posix-sh' | 'posix-permissions' | 'linux-userland' | 'linux-shell' | 'vagrant-libvirt'], ...)",
    ]);
  });

  test('accepts the same needs under suites registered with covering tools, by list or by constant', () => {
    expect(scanTests(fixtures).filter((f) => f.file.endsWith('/gated.test.ts'))).toEqual([]);
  });
});

describe('the unit and integration tests', () => {
  test('gate everything a Node-only machine lacks', () => {
    const all = sources(['test/unit', 'test/integration', 'test/helpers'], '.ts');
    expect(all.size).toBeGreaterThan(80);
    const findings = scanTests(all).filter(
      (f) => !WAIVED.some((w) => w.file === f.file && w.source === f.source),
    );
    expect(findings.map((f) => `${f.file}: ${f.message}`)).toEqual([]);
  });

  test('each waiver still imports what it waives (a stale waiver would hide a new need)', () => {
    const all = sources(['test/unit', 'test/integration', 'test/helpers'], '.ts');
    const waived = scanTests(all).filter((f) =>
      WAIVED.some((w) => w.file === f.file && w.source === f.source),
    );
    expect(new Set(waived.map((f) => f.file))).toEqual(new Set(WAIVED.map((w) => w.file)));
  });
});

describe('LABKIT_TEST_PLATFORM=win32 (what a Windows machine skips)', () => {
  const saved = process.env['LABKIT_TEST_PLATFORM'];
  afterEach(() => {
    if (saved === undefined) delete process.env['LABKIT_TEST_PLATFORM'];
    else process.env['LABKIT_TEST_PLATFORM'] = saved;
  });

  test('the POSIX-only tools are missing, whatever this machine has', () => {
    process.env['LABKIT_TEST_PLATFORM'] = 'win32';
    expect(testPlatform()).toBe('win32');
    expect(NOT_ON_WINDOWS.filter((t) => TOOLS[t].find() !== undefined)).toEqual([]);
  });

  test('the skip list gives the Windows way to run them', () => {
    process.env['LABKIT_TEST_PLATFORM'] = 'win32';
    const text = skippedSummary([{ file: 'test/unit/a.test.ts', fullName: 'x [needs posix-sh] > y' }]);
    expect(text).toContain('posix-sh: (POSIX only: run the tests in WSL)');
  });

  test('an unknown platform is refused, naming the allowed ones', () => {
    process.env['LABKIT_TEST_PLATFORM'] = 'windows';
    expect(() => testPlatform()).toThrow('LABKIT_TEST_PLATFORM=windows: use one of linux, darwin, win32');
  });
});
