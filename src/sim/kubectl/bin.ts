// Executable entry (esbuild bundles this file into kubectl.mjs).
import { main } from './main.ts';

main().catch((error: unknown) => {
  process.stderr.write(
    `error: simulated kubectl crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
