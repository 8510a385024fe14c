#!/usr/bin/env tsx
// npm run lab:down [-- --force] [--config FILE]
import { argv } from 'zx';
import { downCommand } from '../src/commands/down.ts';
import { runMain } from '../src/util/report-error.ts';

await runMain(
  () =>
    downCommand({
      force: Boolean(argv['force'] ?? argv['f']),
      ...(typeof argv['config'] === 'string' ? { config: argv['config'] } : {}),
    }),
  argv['lang'],
);
