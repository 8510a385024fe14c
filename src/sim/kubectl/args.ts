// kubectl's command line: cobra/pflag conventions (`--flag=value`, `--flag value`, `-n ns`, `-nns`,
// combined booleans `-it`, `--` ends flags). Unknown flags are errors, worded as kubectl words them.
export class KubectlError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'KubectlError';
  }
}

const SHORT: Record<string, string> = {
  n: 'namespace',
  o: 'output',
  l: 'selector',
  f: 'filename',
  c: 'container',
  i: 'stdin',
  t: 'tty',
  A: 'all-namespaces',
  w: 'watch',
  p: 'previous',
  R: 'recursive',
  q: 'quiet',
  h: 'help',
};

const VALUE_FLAGS = new Set([
  'namespace',
  'output',
  'selector',
  'filename',
  'container',
  'image',
  'restart',
  'port',
  'target-port',
  'type',
  'name',
  'timeout',
  'for',
  'grace-period',
  'replicas',
  'docker-server',
  'docker-username',
  'docker-password',
  'docker-email',
  'field-selector',
  'protocol',
  'context',
  'kubeconfig',
  'sort-by',
  'labels',
  'env',
  'overrides',
  'dry-run',
  'cluster-ip',
  'external-ip',
  'node-port',
  'tail',
  'session-affinity',
  'validate',
  'cascade',
  'from-literal',
  'image-pull-policy',
  'field-manager',
  'pod-running-timeout',
  'request-timeout',
  'since',
  'generator',
  'wait',
  'show-managed-fields',
  'expose',
  'allow-missing-template-keys',
  'load-balancer-ip',
  'template',
  'label-columns',
]);

const BOOL_FLAGS = new Set([
  'all-namespaces',
  'stdin',
  'tty',
  'rm',
  'show-labels',
  'now',
  'force',
  'all',
  'watch',
  'no-headers',
  'ignore-not-found',
  'help',
  'recursive',
  'quiet',
  'previous',
  'follow',
  'attach',
  'overwrite',
  'server-side',
  'leave-stdin-open',
  'show-kind',
  'privileged',
  'timestamps',
  'prefix',
]);

export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Map<string, string[]>;
  /** Words after `--` (the command of `exec` and `run`), or undefined without `--`. */
  readonly rest: string[] | undefined;
}

export function parseKubectlArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  const add = (name: string, value: string): void => {
    flags.set(name, [...(flags.get(name) ?? []), value]);
  };
  let rest: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      rest = argv.slice(i + 1);
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      if (VALUE_FLAGS.has(name)) {
        if (eq >= 0) add(name, arg.slice(eq + 1));
        else {
          const v = argv[++i];
          if (v === undefined) throw new KubectlError(`error: flag needs an argument: --${name}`);
          add(name, v);
        }
      } else if (BOOL_FLAGS.has(name)) add(name, eq < 0 ? 'true' : arg.slice(eq + 1));
      else throw new KubectlError(`error: unknown flag: --${name}`);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j] ?? '';
        const name = SHORT[letter];
        if (!name) throw new KubectlError(`error: unknown shorthand flag: '${letter}' in ${arg}`);
        if (VALUE_FLAGS.has(name)) {
          let v = arg.slice(j + 1);
          if (v.startsWith('=')) v = v.slice(1);
          if (v === '') {
            const next = argv[++i];
            if (next === undefined)
              throw new KubectlError(`error: flag needs an argument: '${letter}' in -${letter}`);
            v = next;
          }
          add(name, v);
          break;
        }
        add(name, 'true');
      }
      continue;
    }
    positionals.push(arg);
  }
  return { positionals, flags, rest };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  const values = args.flags.get(name);
  return values?.[values.length - 1];
}

export function boolFlag(args: ParsedArgs, name: string): boolean {
  const v = flag(args, name);
  return v !== undefined && v !== 'false';
}

/** Flags a command does not implement must fail loudly, never be ignored. */
export function rejectFlags(args: ParsedArgs, command: string, allowed: readonly string[]): void {
  const ok = new Set([...allowed, 'namespace', 'context', 'kubeconfig', 'request-timeout', 'help']);
  for (const name of args.flags.keys())
    if (!ok.has(name))
      throw new KubectlError(
        `error: the simulated kubectl does not support --${name} for "${command}"\nSee 'kubectl ${command} --help' for usage.`,
      );
}

/** Go duration strings as kubectl takes them: `30s`, `2m`, `1h30m`, `500ms`, bare numbers are seconds. */
export function parseDuration(text: string, flagName: string): number {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
    consumed += m[0].length;
  }
  if (consumed !== text.length || consumed === 0)
    throw new KubectlError(
      `error: invalid argument "${text}" for "--${flagName}" flag: time: invalid duration "${text}"`,
    );
  return total;
}
