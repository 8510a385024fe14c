#!/usr/bin/env tsx
// npm run lab:ssh -- NODE [-- COMMAND ARGS...]
import { argv } from 'zx';
import { sshCommand } from '../src/commands/ssh.ts';
import { runMain } from '../src/util/report-error.ts';

const [node, ...command] = argv._.map(String);
await runMain(() =>
  sshCommand(node, command, typeof argv['config'] === 'string' ? { config: argv['config'] } : {}),
);
