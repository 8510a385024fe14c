#!/usr/bin/env tsx
// npm run lab:reset [-- --config FILE]: every VM back to the snapshot lab:up saved, the cluster Ready again.
import { argv } from 'zx';
import { snapshotRestoreCommand } from '../src/commands/snapshot.ts';
import { runMain } from '../src/util/report-error.ts';

await runMain(
  () => snapshotRestoreCommand(typeof argv['config'] === 'string' ? { config: argv['config'] } : {}),
  argv['lang'],
);
