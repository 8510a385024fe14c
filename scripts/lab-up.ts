#!/usr/bin/env tsx
// npm run lab:up [-- --config FILE] [--until PHASE] [--provider vagrant|simulated] [--lang ko|en]
import { argv } from 'zx';
import { upCommand } from '../src/commands/up.ts';
import { runMain } from '../src/util/report-error.ts';

await runMain(
  () =>
    upCommand({
      ...(typeof argv['config'] === 'string' ? { config: argv['config'] } : {}),
      ...(typeof argv['until'] === 'string' ? { until: argv['until'] } : {}),
      ...(typeof argv['provider'] === 'string' ? { provider: argv['provider'] } : {}),
    }),
  argv['lang'],
);
