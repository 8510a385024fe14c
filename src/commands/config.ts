// `lab config check|schema`: validate lab.config.yaml and show what labkit will use.
import { stringify } from 'yaml';
import type { Command } from 'commander';
import { configJsonSchema } from '../config/json-schema.ts';
import { loadConfig, resolveConfigPath } from '../config/load.ts';
import type { LabConfig } from '../config/schema.ts';

/** The resolved config for display: registry credentials shown only as "set"/"not set", never their values. */
export function describeConfig(
  config: LabConfig,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, unknown> {
  const { registry, ...withSchema } = config;
  const rest: Record<string, unknown> = { ...withSchema };
  delete rest['$schema'];
  if (!registry) return rest;
  const state = (name: string | undefined) =>
    name ? `${name} (${env[name] ? 'set' : 'not set'})` : undefined;
  return {
    ...rest,
    registry: {
      server: registry.server,
      username: state(registry.usernameEnv),
      password: state(registry.passwordEnv),
      ...(registry.emailEnv ? { email: state(registry.emailEnv) } : {}),
    },
  };
}

export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('validate and show the lab configuration');
  config
    .command('check')
    .description(
      'validate lab.config.yaml; print the resolved config, or every problem as file:line key: reason (exit 2)',
    )
    .option('--config <file>', 'config file (default: $LAB_CONFIG or ./lab.config.yaml)')
    .option('--json', 'print the resolved config as JSON')
    .action(async (opts: { config?: string; json?: boolean }) => {
      const file = resolveConfigPath(opts.config);
      const resolved = describeConfig(await loadConfig(file));
      process.stdout.write(
        opts.json ? `${JSON.stringify(resolved, null, 2)}\n` : `# ${file}: valid\n${stringify(resolved)}`,
      );
    });
  config
    .command('schema')
    .description('print the JSON Schema of lab.config.yaml (for editor completion)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    });
}
