// The pod shell's command table: what `sh` finds on a busybox image's PATH (those the simulator models).
import type { CommandFn } from '../session.ts';
import { netCommands } from './net.ts';
import { systemCommands } from './system.ts';
import { textCommands } from './text.ts';

export const BUSYBOX_COMMANDS: Readonly<Record<string, CommandFn>> = {
  ...textCommands,
  ...systemCommands,
  ...netCommands,
};

/** `sh -c SCRIPT` / `sh` (script from stdin) inside a pod shell. */
const sh: CommandFn = async (args, io, session) => {
  if (args[0] === '-c') return session.runScript(args[1] ?? '', io);
  if (args[0] !== undefined) {
    const text = session.readFile(args[0]);
    if (text === undefined) {
      io.err.write(`sh: can't open '${args[0]}': No such file or directory\n`);
      return 2;
    }
    return session.runScript(text, io);
  }
  return session.runScript(io.stdin, { ...io, stdin: '' });
};

export const POD_COMMANDS: Readonly<Record<string, CommandFn>> = { ...BUSYBOX_COMMANDS, sh, ash: sh };
