#!/usr/bin/env tsx
// npm run lab:ssh -- NODE [-- COMMAND ARGS...]
// The arguments are read as given, not as options (src/commands/ssh.ts parseSshArgs): the command's own
// flags (`-o wide`) reach the VM.
import { parseSshArgs, sshCommand } from '../src/commands/ssh.ts';
import { runMain } from '../src/util/report-error.ts';

const { node, command, config } = parseSshArgs(process.argv.slice(2));
await runMain(() => sshCommand(node, command, config !== undefined ? { config } : {}));
