// The test setup itself: with shellcheck, ruby and vagrant hidden from PATH, `npm test`'s suites that need
// them are skipped and listed with the install commands, the run stays green; under LABKIT_REQUIRE_ALL=1
// (CI) the same run fails naming the missing tools.
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { skippedSummary } from '../../helpers/skipped-tools-reporter.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

vi.setConfig({ testTimeout: 120_000 });

const root = resolve(import.meta.dirname, '../../..');
const HIDDEN = /^(shellcheck|ruby[0-9.]*|vagrant)$/;
const SUITES = ['test/unit/provision/static.test.ts', 'test/unit/vagrantfile/checkout.test.ts'];

let farm = '';
afterAll(() => {
  if (farm) rmSync(farm, { recursive: true, force: true });
});

/** A PATH of one directory linking every program of this PATH but the hidden tools. */
function pathWithout(): string {
  farm = mkdtempSync(join(tmpdir(), 'labkit-nopath-'));
  for (const dir of (process.env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (HIDDEN.test(name)) continue;
      try {
        symlinkSync(join(dir, name), join(farm, name));
      } catch {
        // an earlier PATH entry already provides it
      }
    }
  }
  return farm;
}

function vitest(env: Record<string, string | undefined>) {
  // The child's environment: ours, plain output, then `env` (an undefined value removes the variable).
  const merged: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    FORCE_COLOR: undefined,
    ...env,
  };
  const clean = Object.fromEntries(
    Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  // Asynchronous: a worker blocked in spawnSync for the child's whole run cannot answer vitest's own RPC
  // (a fixed 60 s budget), and a loaded machine then fails a green run (vitest-dev/vitest#6479).
  return execa(
    process.execPath,
    [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'unit', ...SUITES],
    { cwd: root, env: clean, extendEnv: false, timeout: 110_000, reject: false },
  );
}

describeWithTools(['posix-sh'], 'npm test without shellcheck, ruby and vagrant', () => {
  const path = pathWithout();

  it('passes, skips the suites that need them by name and lists how to install them', async () => {
    const r = await vitest({ PATH: path, LABKIT_REQUIRE_ALL: undefined, CI: undefined });
    const out = r.stdout + r.stderr;
    expect(r.exitCode, out).toBe(0);
    expect(out).toContain('Skipped because a tool is missing');
    expect(out).toContain('needs shellcheck: 1 test in test/unit/provision/static.test.ts');
    expect(out).toMatch(
      /needs ruby, vagrant(, vagrant-libvirt)?: \d+ tests in test\/unit\/vagrantfile\/checkout\.test\.ts/,
    );
    expect(out).toContain('shellcheck: sudo apt-get install shellcheck');
    // The suites that need only what is there still ran.
    expect(out).toMatch(/Tests +\d+ passed \| \d+ skipped/);
  });

  it('fails under LABKIT_REQUIRE_ALL=1, naming each missing tool', async () => {
    const r = await vitest({ PATH: path, LABKIT_REQUIRE_ALL: '1' });
    const out = r.stdout + r.stderr;
    expect(r.exitCode).not.toBe(0);
    expect(out).toContain('has shellcheck installed (LABKIT_REQUIRE_ALL=1 allows no skip)');
    // vagrant-libvirt is found by its Debian package, not on PATH: missing too where it is not installed.
    expect(out).toMatch(
      /missing ruby, vagrant(, vagrant-libvirt)?: sudo apt-get install ruby; sudo apt-get install vagrant/,
    );
    expect(out).not.toContain('Skipped because a tool is missing');
  });
});

describe('the skip summary', () => {
  const skipped = [
    { file: 'test/unit/a.test.ts', fullName: 'lint [needs shellcheck] > is clean' },
    { file: 'test/unit/b.test.ts', fullName: 'Vagrantfile [needs ruby, vagrant] > validates' },
    { file: 'test/unit/b.test.ts', fullName: 'Vagrantfile [needs ruby, vagrant] > loads' },
    { file: 'test/unit/c.test.ts', fullName: 'skipped for another reason' },
  ];

  it('groups by missing tools and gives the install command for the platform', () => {
    expect(skippedSummary(skipped, 'darwin').split('\n')).toEqual([
      'Skipped because a tool is missing (CI sets LABKIT_REQUIRE_ALL=1 and skips nothing):',
      '  needs shellcheck: 1 test in test/unit/a.test.ts',
      '  needs ruby, vagrant: 2 tests in test/unit/b.test.ts',
      'To run them, install:',
      '  shellcheck: brew install shellcheck  — lints scripts/provision/*.sh',
      '  ruby: brew install ruby  — loads the Vagrantfile: ruby -c and its effective settings',
      '  vagrant: brew install hashicorp/tap/hashicorp-vagrant  — vagrant validate, and its VirtualBox config classes',
    ]);
    expect(skippedSummary(skipped, 'win32')).toContain('shellcheck: winget install koalaman.shellcheck');
  });

  it('says nothing when nothing was skipped for a tool', () => {
    expect(skippedSummary([skipped[3] ?? { file: '', fullName: '' }])).toBe('');
  });
});
