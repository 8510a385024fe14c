#!/usr/bin/env tsx
// npm run lab:status [-- --json] [--config FILE]
import { argv } from 'zx';
import { statusCommand } from '../src/commands/status.ts';
import { runMain } from '../src/util/report-error.ts';

await runMain(
  () =>
    statusCommand({
      json: Boolean(argv['json']),
      ...(typeof argv['config'] === 'string' ? { config: argv['config'] } : {}),
    }),
  argv['lang'],
);
