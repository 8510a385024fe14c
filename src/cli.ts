// The `lab` command. Each command group registers itself; errors end here with a clear message and exit code.
import { Command } from 'commander';
import { registerConfigCommands } from './commands/config.ts';
import { downCommand } from './commands/down.ts';
import { registerGradeCommand } from './commands/grade.ts';
import { registerLabCommands } from './commands/lab-commands.ts';
import { snapshotListCommand, snapshotRestoreCommand, snapshotSaveCommand } from './commands/snapshot.ts';
import { sshCommand } from './commands/ssh.ts';
import { statusCommand } from './commands/status.ts';
import { upCommand } from './commands/up.ts';
import { setLanguage } from './i18n/index.ts';
import { languageOfProcess, LANGS } from './i18n/lang.ts';
import { PHASES } from './up/context.ts';
import { EXIT } from './util/exit-codes.ts';
import { reportError } from './util/report-error.ts';

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('lab')
    .description('labkit: Kubernetes teaching labs on Vagrant VMs, checked step by step over SSH')
    .exitOverride()
    .showHelpAfterError('(run `lab --help` for usage)')
    .option(
      '--lang <lang>',
      `language of what labkit prints: ${LANGS.join(' or ')} (default: $LABKIT_LANG, else the locale, else en)`,
    )
    // Before any command prints: the language every message and lab text is shown in (src/i18n/lang.ts).
    .hook('preAction', (command) => setLanguage(languageOfProcess(command.opts<{ lang?: string }>().lang)));
  registerConfigCommands(program);
  program
    .command('up')
    .description(
      'bring the lab up: preflight, VMs, join, readiness, kubeconfig, smoke check (same as npm run lab:up)',
    )
    .option('--config <file>', 'config file (default: $LAB_CONFIG or lab.config.yaml)')
    .option('--until <phase>', `stop after a phase: ${PHASES.join(', ')}`)
    .option(
      '--provider <name>',
      'vagrant (default) or simulated (netns testbed + simulated cluster; Linux, root)',
    )
    .action(async (opts: { config?: string; until?: string; provider?: string }) =>
      setExit(await upCommand(opts)),
    );
  program
    .command('down')
    .description('destroy the lab VMs (asks first unless --force)')
    .option('--config <file>', 'config file')
    .option('-f, --force', 'do not ask')
    .action(async (opts: { config?: string; force?: boolean }) => setExit(await downCommand(opts)));
  program
    .command('status')
    .description("each node's VM state and Kubernetes readiness")
    .option('--config <file>', 'config file')
    .option('--json', 'machine-readable output')
    .action(async (opts: { config?: string; json?: boolean }) => setExit(await statusCommand(opts)));
  program
    .command('ssh')
    .description('a shell (or one command after --) on a lab node')
    .argument('<node>', 'node name, e.g. master-node')
    .argument('[command...]', 'command to run instead of a shell')
    .option('--config <file>', 'config file')
    .action(async (node: string, command: string[], opts: { config?: string }) =>
      setExit(await sshCommand(node, command, opts)),
    );
  const snapshot = program
    .command('snapshot')
    .description('the VM snapshot lab:up saves after its smoke check, and going back to it');
  snapshot
    .command('restore')
    .description(
      'every VM back to the snapshot, then wait until the cluster is Ready (same as npm run lab:reset)',
    )
    .option('--config <file>', 'config file')
    .action(async (opts: { config?: string }) => setExit(await snapshotRestoreCommand(opts)));
  snapshot
    .command('save')
    .description('snapshot the running VMs as they are now (what lab:reset goes back to)')
    .option('--config <file>', 'config file')
    .action(async (opts: { config?: string }) => setExit(await snapshotSaveCommand(opts)));
  snapshot
    .command('list')
    .description("each VM's snapshots, and which one lab:reset restores")
    .option('--config <file>', 'config file')
    .action(async (opts: { config?: string }) => setExit(await snapshotListCommand(opts)));
  registerLabCommands(program, setExit);
  registerGradeCommand(program, setExit);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  try {
    await buildProgram((c) => (code = c)).parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    return reportError(error);
  }
}

process.exitCode = await main(process.argv.slice(2));
