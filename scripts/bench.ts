// npm run bench -- <name> [options]: benchmark dispatcher. Each bench lives in src/bench/<name>.ts; this
// file only parses arguments, prepares what the bench runs against, and prints. The last stdout line is
// one JSON object for machines; everything else goes to stderr.
//   ssh [--runs N] [--concurrency C] [--inventory FILE]
//       without --inventory: uses the testbed (test/testbed), bringing it up (and down after) if needed.
import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { benchSsh } from '../src/bench/ssh.ts';
import { testbedDown, testbedPaths, testbedUp } from '../test/testbed/index.ts';

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

const BENCHES: Readonly<Record<string, Bench>> = { ssh: runSshBench };

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
