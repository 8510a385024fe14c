// npm run bench -- <name> [options]: benchmark dispatcher. Each bench lives in src/bench/<name>.ts; this
// file only parses arguments, prepares what the bench runs against, and prints. The last stdout line is
// one JSON object for machines; everything else goes to stderr.
//   ssh [--runs N] [--concurrency C] [--inventory FILE]
//       without --inventory: uses the testbed (test/testbed), bringing it up (and down after) if needed.
//   grade [--clusters K] [--concurrency C]
//       `lab grade` on K (default 24) fresh simulated testbed clusters: untouched, one solved, all solved,
//       C at a time (default: lab grade's own default).
//       Linux + root; run it under `flock /tmp/labkit-netlab.lock` (one testbed per machine).
//   sim [--runs N]
//       the simulated lab (src/bench/sim.ts): `kubectl get pods` p50 over SSH, `lab check service` after
//       `lab solve service --all`. Linux + root, under the same lock.
import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchGrade } from '../src/bench/grade.ts';
import { benchSim } from '../src/bench/sim.ts';
import { benchSsh } from '../src/bench/ssh.ts';
import { REPO_ROOT, studentId, testbedDown, testbedPaths, testbedUp } from '../test/testbed/index.ts';

type Bench = (args: string[]) => Promise<Record<string, unknown>>;

const log = (line: string): void => console.error(line);

const runSshBench: Bench = async (args) => {
  const { values } = parseArgs({
    args,
    options: { runs: { type: 'string' }, concurrency: { type: 'string' }, inventory: { type: 'string' } },
  });
  const runs = values.runs === undefined ? 500 : Number(values.runs);
  const concurrency = values.concurrency === undefined ? 100 : Number(values.concurrency);
  if (values.inventory) return (await benchSsh({ inventory: values.inventory, runs, concurrency, log })).line;
  const paths = testbedPaths();
  const wasUp = await access(paths.inventory).then(
    () => true,
    () => false,
  );
  log(wasUp ? 'testbed: already up, verifying' : 'testbed: bringing it up (it goes down again afterwards)');
  await testbedUp({ log });
  try {
    return (await benchSsh({ inventory: paths.inventory, runs, concurrency, log })).line;
  } catch (error) {
    log(`bench ssh failed: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  } finally {
    if (!wasUp) await testbedDown();
  }
};

const runGradeBench: Bench = async (args) => {
  const { values } = parseArgs({
    args,
    options: { clusters: { type: 'string' }, concurrency: { type: 'string' } },
  });
  const clusters = values.clusters === undefined ? 24 : Number(values.clusters);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  // Fresh clusters (untouched first): real pods, as a student's simulated lab.
  const info = await testbedUp({ clusters, log, simulated: { faults: [] } });
  const stateDir = await mkdtemp(join(tmpdir(), 'labkit-bench-grade-'));
  try {
    return await benchGrade({
      repo: REPO_ROOT,
      inventory: info.paths.inventory,
      clusters,
      ...(concurrency === undefined ? {} : { concurrency }),
      stateDir,
      log,
    });
  } finally {
    await testbedDown();
    await rm(stateDir, { recursive: true, force: true });
  }
};

const runSimBench: Bench = async (args) => {
  const { values } = parseArgs({ args, options: { runs: { type: 'string' } } });
  const runs = values.runs === undefined ? 100 : Number(values.runs);
  // A fresh cluster 1 with the simulator's defaults (what `lab:up --provider simulated` gives a student).
  const info = await testbedUp({ clusters: 1, log });
  const stateDir = await mkdtemp(join(tmpdir(), 'labkit-bench-sim-'));
  try {
    return (
      await benchSim({
        repo: REPO_ROOT,
        inventory: info.paths.inventory,
        target: studentId(1),
        stateDir,
        runs,
        log,
      })
    ).line;
  } finally {
    await testbedDown();
    await rm(stateDir, { recursive: true, force: true });
  }
};

const BENCHES: Readonly<Record<string, Bench>> = { ssh: runSshBench, grade: runGradeBench, sim: runSimBench };

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  const bench = name === undefined ? undefined : BENCHES[name];
  if (!bench) {
    console.error(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [options]`);
    process.exitCode = 2;
    return;
  }
  const line = await bench(rest);
  console.log(JSON.stringify(line));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
