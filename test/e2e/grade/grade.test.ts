// `lab grade` end to end on the testbed: 10 simulated clusters (solved, untouched, partly done, with faults,
// sshd stopped), a host that does not exist and a student whose name is hostile; exact points per student and
// step; outputs that always parse while the run writes them; kill -9 then --resume; reports mode with a
// duplicated cluster, a tampered report, a report of another lab and a hostile file name. Run under
// `flock /tmp/labkit-netlab.lock` (one testbed per machine); the testbed is brought down afterwards.
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
  copyFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requireRootLinux } from '../ssh/testbed-fixture.ts';
import {
  crashHostSshd,
  REPO_ROOT,
  testbedDown,
  testbedUp,
  UNUSED_ADDRESS,
  type TestbedInfo,
} from '../../testbed/index.ts';
import { setClusterFaults } from '../../testbed/faults.ts';

const STATE = mkdtempSync(join(tmpdir(), 'labkit-grade-e2e-'));
const MARKER = '/tmp/labkit-grade-hostile-marker';
const HOSTILE_NAME = `Robert'); DROP TABLE students;-- <script>alert("x")</script> $(touch ${MARKER}) \`id\`\n=HYPERLINK("http://evil") 김철수`;
let info: TestbedInfo;
let inventory: string;

/** `lab ARGS` as a subprocess (node + tsx, as bin/lab.mjs does); the child itself, so a test can kill it. */
function lab(args: string[], options: { timeoutMs?: number } = {}) {
  return execa(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: REPO_ROOT,
    env: { LAB_STATE_DIR: STATE, CI: 'true' },
    reject: false,
    timeout: options.timeoutMs ?? 900_000,
  });
}

const target = (i: number) => ['--inventory', info.paths.inventory, '--target', `c${i}`];

/** The class inventory: the testbed's clusters with names, emails, overrides, a hostile name, a missing host. */
function writeClassInventory(): string {
  const doc = parse(readFileSync(info.paths.inventory, 'utf8')) as {
    classes: { id: string; students: Record<string, unknown>[] }[];
  };
  const students = doc.classes[0]?.students ?? [];
  for (const s of students) {
    s['name'] = `Student ${String(s['id'])}`;
    s['email'] = `${String(s['id'])}@example.edu`;
    s['lmsId'] = `lms-${String(s['id'])}`;
  }
  const c9 = students.find((s) => s['id'] === 'c9');
  if (c9) c9['name'] = HOSTILE_NAME;
  const c10 = students.find((s) => s['id'] === 'c10');
  if (c10) c10['overrides'] = { steps: ['deployment', 2, 'cluster-ip-service'] };
  students.push({
    id: 'ghost',
    name: 'No Such Host',
    master: { host: UNUSED_ADDRESS, connectTimeoutSec: 3 },
  });
  const file = join(info.paths.dir, 'class.yaml');
  writeFileSync(file, stringify(doc));
  return file;
}

// Points per step (deployment, pods-by-ip, cluster-ip-service, pod-replaced, service-env, session-affinity).
const EXPECTED: Record<string, { status: string; steps: (number | 'excused')[] }> = {
  c1: { status: 'graded', steps: [10, 10, 20, 10, 10, 10] },
  c2: { status: 'graded', steps: [10, 10, 20, 10, 10, 10] },
  c3: { status: 'graded', steps: [0, 0, 0, 0, 0, 0] },
  c4: { status: 'graded', steps: [10, 10, 20, 10, 10, 0] }, // affinity-ignored
  c5: { status: 'graded', steps: [10, 10, 20, 10, 0, 10] }, // env-missing
  c6: { status: 'graded', steps: [10, 10, 0, 10, 10, 10] }, // dns-broken
  c7: { status: 'graded', steps: [10, 10, 20, 0, 10, 0] }, // steps 1-3 solved only
  c8: { status: 'unreachable', steps: [0, 0, 0, 0, 0, 0] }, // sshd stopped
  c9: { status: 'graded', steps: [10, 10, 20, 10, 10, 10] }, // hostile name
  c10: { status: 'graded', steps: [10, 10, 20, 'excused', 'excused', 'excused'] },
  ghost: { status: 'unreachable', steps: [0, 0, 0, 0, 0, 0] },
};

interface GradesJson {
  students: {
    id: string;
    name?: string;
    status: string;
    flags: string[];
    grade: null | {
      points: number;
      maxPoints: number;
      reason?: string;
      source: string;
      steps: { id: string; status: string; points: number }[];
    };
  }[];
}
const readGrades = (dir: string) => JSON.parse(readFileSync(join(dir, 'grades.json'), 'utf8')) as GradesJson;

function pointsOf(grades: GradesJson): Record<string, { status: string; steps: (number | 'excused')[] }> {
  return Object.fromEntries(
    grades.students.map((s) => [
      s.id,
      {
        status: s.status,
        steps: (s.grade?.steps ?? []).map((x) => (x.status === 'excused' ? 'excused' : x.points)),
      },
    ]),
  );
}

beforeAll(async () => {
  requireRootLinux();
  rmSync(MARKER, { force: true });
  info = await testbedUp({ clusters: 10, simulated: { faults: [] } });
  inventory = writeClassInventory();
  const solveAll = [1, 2, 4, 5, 6, 8, 9, 10];
  const solved = await Promise.all(solveAll.map((i) => lab(['solve', 'service', '--all', ...target(i)])));
  solved.forEach((r, k) => expect(r.exitCode, `solve c${solveAll[k]}: ${r.stdout}\n${r.stderr}`).toBe(0));
  for (const step of ['1', '2', '3']) {
    const r = await lab(['solve', 'service', '--step', step, ...target(7)]);
    expect(r.exitCode, r.stdout).toBe(0);
  }
  await setClusterFaults(['affinity-ignored'], { cluster: 4 });
  await setClusterFaults(['env-missing'], { cluster: 5 });
  await setClusterFaults(['dns-broken'], { cluster: 6 });
  await crashHostSshd('c8-master-node');
}, 900_000);

afterAll(async () => {
  await testbedDown();
  rmSync(STATE, { recursive: true, force: true });
}, 300_000);

describe('lab grade over SSH', () => {
  let out: string;
  let run: Awaited<ReturnType<typeof lab>>;

  test('a class of 11: exact points per student and step; unreachable ones score 0 with the reason', async () => {
    out = join(STATE, 'out');
    // Poll the class files while the run writes them: every read must parse (atomic replace, never half a file).
    let reads = 0;
    let running = true;
    const watcher = (async () => {
      const files = ['grades.csv', 'grades.json', 'junit.xml', 'summary.md', 'report.html'].map((f) =>
        join(out, f),
      );
      while (running) {
        // The first complete set appears file by file; from then on each file is only ever replaced whole.
        if (files.every((f) => existsSync(f))) {
          JSON.parse(readFileSync(join(out, 'grades.json'), 'utf8'));
          expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<\/html>\n$/);
          // Before the first student finishes the root element is empty: <testsuites .../>.
          expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(
            /(<\/testsuites>|<testsuites [^>]*\/>)\n$/,
          );
          expect(readFileSync(join(out, 'grades.csv'), 'utf8')).toMatch(/\r\n$/);
          reads++;
        }
        await sleep(20);
      }
    })();
    const started = performance.now();
    run = await lab([
      'grade',
      'service',
      '--inventory',
      inventory,
      '--out',
      out,
      '--timeout',
      '20s',
      '--concurrency',
      '6',
    ]);
    running = false;
    await watcher;
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(reads).toBeGreaterThan(5);
    const grades = readGrades(out);
    expect(pointsOf(grades)).toEqual(EXPECTED);
    const reason = (id: string) => grades.students.find((s) => s.id === id)?.grade?.reason ?? '';
    expect(reason('c8')).toMatch(/192\.168\.57\.80/);
    expect(reason('ghost')).toMatch(/192\.168\.57\.99/);
    expect(grades.students.find((s) => s.id === 'c10')?.grade?.maxPoints).toBe(40);
    // No flags: every cluster is its own.
    expect(grades.students.flatMap((s) => s.flags)).toEqual([]);
    process.stdout.write(
      `lab-grade-e2e ${JSON.stringify({ wallMs: Math.round(performance.now() - started) })}\n`,
    );
  }, 900_000);

  test('the hostile name is escaped in every output and never reached a shell', () => {
    expect(existsSync(MARKER)).toBe(false);
    const csv = readFileSync(join(out, 'grades.csv'), 'utf8');
    expect(csv.startsWith('\uFEFFid,name,email,lms_id,class,')).toBe(true);
    // Quoted (it holds a newline and quotes); the newline-led "=HYPERLINK" is inside the quoted cell.
    expect(csv).toContain(`c9,"${HOSTILE_NAME.replaceAll('"', '""')}",c9@example.edu`);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    const xml = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(xml).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(readGrades(out).students.find((s) => s.id === 'c9')?.name).toBe(HOSTILE_NAME);
    expect(run.stdout).not.toContain('\n=HYPERLINK');
  });

  test('a rerun gives the same grades', async () => {
    const again = join(STATE, 'again');
    const r = await lab([
      'grade',
      'service',
      '--inventory',
      inventory,
      '--out',
      again,
      '--timeout',
      '20s',
      '--student',
      'c1',
      '--student',
      'c3',
      '--student',
      'c7',
    ]);
    expect(r.exitCode, r.stdout).toBe(0);
    const p = pointsOf(readGrades(again));
    expect(p).toEqual({ c1: EXPECTED['c1'], c3: EXPECTED['c3'], c7: EXPECTED['c7'] });
  }, 600_000);

  test('kill -9 mid-run loses no finished student and leaves no half-written file; --resume finishes the class', async () => {
    const dir = join(STATE, 'killed');
    const child = lab([
      'grade',
      'service',
      '--inventory',
      inventory,
      '--out',
      dir,
      '--timeout',
      '20s',
      '--concurrency',
      '2',
    ]);
    const studentsDir = join(dir, 'students');
    const count = () =>
      existsSync(studentsDir) ? readdirSync(studentsDir).filter((f) => f.endsWith('.json')).length : 0;
    for (let i = 0; i < 3000 && count() < 3; i++) await sleep(100);
    child.kill('SIGKILL');
    await child;
    const finished = readdirSync(studentsDir).filter((f) => f.endsWith('.json'));
    expect(finished.length).toBeGreaterThanOrEqual(3);
    expect(finished.length).toBeLessThan(11);
    for (const f of finished) JSON.parse(readFileSync(join(studentsDir, f), 'utf8'));
    const before = readGrades(dir);
    const done = before.students.filter((s) => s.grade).map((s) => s.id);
    expect(done.length).toBeGreaterThanOrEqual(2);
    const resumed = await lab([
      'grade',
      'service',
      '--inventory',
      inventory,
      '--out',
      dir,
      '--timeout',
      '20s',
      '--resume',
    ]);
    expect(resumed.exitCode, resumed.stdout).toBe(0);
    expect(resumed.stdout.split('kept from an earlier run (--resume)').length - 1).toBe(finished.length);
    expect(pointsOf(readGrades(dir))).toEqual(EXPECTED);
    const leftovers = [...readdirSync(dir), ...readdirSync(studentsDir)].filter((f) =>
      f.endsWith('.labkit-tmp'),
    );
    expect(leftovers).toEqual([]);
  }, 900_000);
});

describe('lab grade --reports', () => {
  test("students' own reports: a duplicated cluster flagged, a tampered report and another lab's refused", async () => {
    const reports = join(STATE, 'reports');
    mkdirSync(reports, { recursive: true });
    const check = async (i: number, file: string, labRef = 'service') => {
      const r = await lab([
        'check',
        labRef,
        ...target(i),
        '--report',
        `json:${join(reports, file)}`,
        '--timeout',
        '20s',
      ]);
      expect(existsSync(join(reports, file)), r.stdout).toBe(true);
    };
    await check(1, 'alice.json');
    await check(1, 'bob.json'); // bob hands in a report of alice's cluster
    await check(3, 'carol.json');
    await check(2, 'mallory.json');
    await check(2, 'other.json', 'test/fixtures/labs/hostile');
    const hostile = '$(touch grade-e2e-marker);<img src=x onerror=alert(1)>';
    copyFileSync(join(reports, 'carol.json'), join(reports, `${hostile}.json`));
    // mallory turns a failed step into a pass by hand (c2 passes all; flip step 1 the other way round too).
    const m = JSON.parse(readFileSync(join(reports, 'mallory.json'), 'utf8')) as {
      steps: { status: string }[];
    };
    if (m.steps[0]) m.steps[0].status = m.steps[0].status === 'pass' ? 'fail' : 'pass';
    writeFileSync(join(reports, 'mallory.json'), JSON.stringify(m, null, 2));
    const out = join(STATE, 'reports-out');
    const r = await lab(['grade', 'service', '--reports', reports, '--out', out]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const grades = readGrades(out);
    const by = (id: string) => grades.students.find((s) => s.id === id);
    expect(by('alice')?.grade?.points).toBe(70);
    expect(by('alice')?.flags.join('; ')).toMatch(/duplicate cluster: same as bob/);
    expect(by('bob')?.flags.join('; ')).toMatch(/duplicate cluster: same as alice/);
    expect(by('alice')?.flags).toContain('self-reported');
    expect(by('alice')?.grade?.source).toBe('report');
    expect(by('carol')?.grade?.points).toBe(0);
    expect(by('carol')?.flags.join('; ')).toMatch(/duplicate cluster: same as \$\(touch/);
    expect(by('mallory')?.status).toBe('rejected');
    expect(by('mallory')?.grade?.reason).toMatch(/checksum mismatch/);
    expect(by('other')?.status).toBe('rejected');
    expect(by('other')?.grade?.reason).toMatch(/a report of lab hostile, not service/);
    expect(by(hostile)?.status).toBe('graded');
    expect(existsSync(MARKER)).toBe(false);
    expect(existsSync(join(REPO_ROOT, 'grade-e2e-marker'))).toBe(false);
    expect(existsSync(join(out, 'grade-e2e-marker'))).toBe(false);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).not.toContain('<img src=x');
  }, 900_000);
});
