#!/usr/bin/env tsx
// npm run lab:status [-- --json] [--config FILE]
import { argv } from 'zx';
import { statusCommand } from '../src/commands/status.ts';
import { inLanguageOf } from '../src/i18n/index.ts';
import { runMain } from '../src/util/report-error.ts';

await runMain(() =>
  inLanguageOf(argv['lang'], () =>
    statusCommand({
      json: Boolean(argv['json']),
      ...(typeof argv['config'] === 'string' ? { config: argv['config'] } : {}),
    }),
  ),
);
