// What a student reads when preflight stops lab:up: each problem and its fix once (before, the progress
// line, the phase summary and the end each printed it). The real `npm run lab:up` entry point, in a child
// process, with plain output (CI=true) and the stub vagrant.
import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test, vi } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Each test runs the stub vagrant (a node process) several times: slow on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });
const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((d) => rm(d, { recursive: true, force: true })));
});

test('a preflight failure is printed once, with its fix once; the progress line and summary only name it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'labkit-once-'));
  made.push(dir);
  await writeFile(join(dir, 'state.json'), JSON.stringify({ provider: 'virtualbox', machines: {} }));
  // More RAM than any test machine has: fails on every host, whatever else it has installed.
  const config = (await readFile(join(ROOT, 'lab.config.yaml'), 'utf8')).replace(
    'memoryMb: 2048',
    'memoryMb: 262144',
  );
  await writeFile(join(dir, 'lab.config.yaml'), config);
  // Node itself with tsx's loader, as `npm run lab:up` runs it (no npx: a Windows npx is a .cmd).
  const r = await execa(process.execPath, ['--import', 'tsx', 'scripts/lab-up.ts'], {
    cwd: ROOT,
    reject: false,
    all: true,
    env: {
      CI: 'true',
      LAB_CONFIG: join(dir, 'lab.config.yaml'),
      LAB_STATE_DIR: join(dir, '.lab'),
      LAB_VAGRANT_BIN: join(ROOT, 'test/helpers/bin/vagrant'),
      STUB_VAGRANT_DIR: dir,
    },
    timeout: 120_000,
  });
  const out = r.all ?? '';
  expect(r.exitCode, out).toBe(2);
  const count = (needle: string) => out.split(needle).length - 1;
  expect(count('FAIL memory: VMs need 265216 MB;'), out).toBe(1);
  expect(count('fix: Lower nodes[].memoryMb in'), out).toBe(1);
  // The progress line and the summary row carry the first line: which checks failed, not their text.
  expect(out).toMatch(/preflight +failed +[\d.]+ m?s +preflight found \d+ problems?: [a-z-]+(, [a-z-]+)*$/m);
});
