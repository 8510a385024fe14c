// The shape of labs/<lab>/lab.yaml: data only, strict everywhere so a misspelled key is an error with its
// line, never silently ignored (a complaint kuttl and chainsaw users share). Built-in checks' `with:` blocks
// are validated by each check's own schema in load.ts, because only the registry knows them.
import { z } from 'zod';
import { durationSchema } from './duration.ts';

/** Lab host names as on the VMs (RFC 1123 labels). */
const hostName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
  message: 'must be a lab host name such as master-node (a-z, 0-9, "-")',
});

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  message: 'must be an environment variable name such as LAB_REGISTRY_PASSWORD',
});

export const MEMORY_KEY = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const memoryKey = z.string().regex(MEMORY_KEY, {
  message: 'must be a memory key such as deletedPod (letters, digits, "_")',
});

const kebabId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
  message: 'must be a kebab-case id such as cluster-ip-service',
});

/** `${memory.KEY}`: the only template form; anything else in `${...}` inside argv is a mistake (no shell). */
export const TEMPLATE = /\$\{([^}]*)\}/g;
const MEMORY_REF = /^memory\.([A-Za-z][A-Za-z0-9_]{0,62})$/;

const argvWord = z.string().superRefine((word, ctx) => {
  for (const match of word.matchAll(TEMPLATE))
    if (!MEMORY_REF.test(match[1] ?? ''))
      ctx.addIssue({
        code: 'custom',
        message: `unknown template "${match[0]}": argv words run without a shell; only \${memory.KEY} is replaced`,
      });
});

const scriptText = z
  .string()
  .min(1)
  .superRefine((script, ctx) => {
    for (const match of script.matchAll(TEMPLATE))
      if ((match[1] ?? '').startsWith('memory.') && !MEMORY_REF.test(match[1] ?? ''))
        ctx.addIssue({
          code: 'custom',
          message: `invalid memory reference "${match[0]}": use \${memory.KEY}`,
        });
  });

const commandTimeout = durationSchema(100, 30 * 60_000);

/** Text a student reads: `{en, ko}` (both required), or one plain string shown in every language (the fallback
 *  for a lab written in one language only). `lab explain`, `lab check` and the reports pick the student's. */
export const localizedTextSchema = z.union([
  z.string().min(1),
  z
    .strictObject({
      en: z.string().min(1).describe('English'),
      ko: z.string().min(1).describe('Korean (한국어)'),
    })
    .describe('The same text in English and Korean'),
]);
export type LocalizedText = z.output<typeof localizedTextSchema>;

/** Fields every command has: where it runs and what it runs. */
const commandFields = {
  title: z.string().min(1).optional().describe('What the command does, in the student’s words'),
  host: hostName.optional().describe('Lab host to run on (one of `hosts`); default: the control-plane host'),
  argv: z
    .array(argvWord)
    .min(1)
    .optional()
    .describe(
      'Program and arguments, each word quoted for the remote shell; `${memory.KEY}` is replaced inside a word, never split',
    ),
  script: scriptText
    .optional()
    .describe(
      'A bash script (bash -c); `${memory.KEY}` becomes the environment variable ${LAB_MEMORY_KEY}: quote it as any shell variable',
    ),
  timeout: commandTimeout
    .optional()
    .describe('Kill the command after this long (default defaults.commandTimeout)'),
  sudo: z.boolean().optional().describe('Run as root through sudo -n'),
  passEnv: z
    .array(envName)
    .optional()
    .describe(
      'Local environment variables passed to the command when set (e.g. registry credentials); their values are secrets, never shown',
    ),
};

function exactlyOneOf(value: { argv?: unknown; script?: unknown }, ctx: z.RefinementCtx): void {
  if ((value.argv === undefined) === (value.script === undefined))
    ctx.addIssue({ code: 'custom', message: 'needs exactly one of argv or script' });
}

const exitCodes = z.union([
  z.int().min(0).max(255),
  z.array(z.int().min(0).max(255)).min(1),
  z.literal('any'),
]);

/** A command run as part of setup, run, solve or cleanup. */
export const runCommandSchema = z
  .strictObject({
    ...commandFields,
    expectExit: exitCodes.optional().describe('Exit code(s) that count as success, or "any" (default 0)'),
    stdinFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A file (relative to lab.yaml) sent as the command’s stdin, e.g. a manifest for kubectl apply -f -',
      ),
    unlessSaved: memoryKey
      .optional()
      .describe('Skip this command when lab memory already has this key (keep the first observation)'),
    save: z
      .record(memoryKey, z.enum(['stdout', 'stderr', 'exitCode']))
      .optional()
      .describe(
        'Keep outputs in lab memory, e.g. {deletedPod: stdout} (trimmed), for later steps and checks',
      ),
  })
  .superRefine(exactlyOneOf)
  .describe('A command on a lab host: argv (no shell) or script (bash)');

const textList = z.union([z.string(), z.array(z.string()).min(1)]);

const regexString = z.string().superRefine((value, ctx) => {
  try {
    new RegExp(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(error as Error).message}` });
  }
});

const textMatchersSchema = z
  .strictObject({
    contains: textList.optional().describe('Every one of these must appear'),
    notContains: textList.optional().describe('None of these may appear'),
    matches: regexString.optional().describe('A JavaScript regular expression that must match'),
  })
  .describe('Matchers on command output');

export const jsonPathMatcherSchema = z
  .strictObject({
    path: z
      .string()
      .regex(/^\$?(\.[A-Za-z_][\w-]*|\[\d+\]|\[\*\]|\['[^']*'\])+$|^\$$/, {
        message:
          "must be a JSON path such as $.status.readyReplicas, $.items[*].metadata.name or $.data['a.b']",
      })
      .describe("JSON path into stdout parsed as JSON ($.a.b, [0], [*], ['key'])"),
    equals: z.unknown().optional().describe('The value (or, with [*], the list of values) must equal this'),
    length: z.int().min(0).optional().describe('The array (or number of [*] matches) must have this length'),
  })
  .superRefine((value, ctx) => {
    if (!('equals' in value) && value.length === undefined)
      ctx.addIssue({ code: 'custom', message: 'needs equals or length' });
  });

export const expectSchema = z
  .strictObject({
    exitCode: z.int().min(0).max(255).optional().describe('Expected exit code (default 0)'),
    stdout: textMatchersSchema.optional(),
    stderr: textMatchersSchema.optional(),
    jsonPath: z
      .array(jsonPathMatcherSchema)
      .min(1)
      .optional()
      .describe('Assertions on stdout parsed as JSON'),
  })
  .describe('What the command must return; every matcher is checked and every failure is shown');

/** A check: a command with matchers, or a built-in check with parameters. */
export const checkSchema = z
  .strictObject({
    title: localizedTextSchema
      .optional()
      .describe('What the check promises, e.g. "three pods answer by IP" (or {en, ko})'),
    command: z
      .strictObject({
        host: commandFields.host,
        argv: commandFields.argv,
        script: commandFields.script,
        timeout: commandFields.timeout,
        sudo: commandFields.sudo,
      })
      .superRefine(exactlyOneOf)
      .optional()
      .describe('The command whose result is matched'),
    expect: expectSchema.optional(),
    check: kebabId.optional().describe('Name of a built-in check (see `lab explain`)'),
    with: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Parameters of the built-in check, validated by that check'),
  })
  .superRefine((value, ctx) => {
    if ((value.command === undefined) === (value.check === undefined))
      ctx.addIssue({
        code: 'custom',
        message: 'needs exactly one of command (with expect) or check (with with)',
      });
    if (value.command !== undefined && value.with !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['with'],
        message: '`with` belongs to a built-in check, not a command',
      });
    if (value.check !== undefined && value.expect !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['expect'],
        message: '`expect` belongs to a command, not a built-in check',
      });
  });

const stepTimeout = durationSchema(1000, 60 * 60_000);
const interval = durationSchema(50, 5 * 60_000);

export const stepSchema = z
  .strictObject({
    id: kebabId.describe('Stable id, used in reports and `--step ID`'),
    title: localizedTextSchema.describe('The step as the student reads it (or {en, ko})'),
    description: localizedTextSchema.optional().describe('Markdown shown by `lab explain` (or {en, ko})'),
    points: z.int().min(0).max(1000).default(1).describe('Points when every check passes'),
    timeout: stepTimeout.optional().describe('Checks retry until this deadline (default defaults.timeout)'),
    interval: interval.optional().describe('Pause between check attempts (default defaults.interval)'),
    setup: z.array(runCommandSchema).optional().describe('Run first, by check and solve (prerequisites)'),
    run: z.array(runCommandSchema).optional().describe('Run by check (and after solve) before the checks'),
    checks: z.array(checkSchema).min(1).describe('Every check must pass; each is retried until the deadline'),
    hint: localizedTextSchema.optional().describe('Shown when the step fails (or {en, ko})'),
    diagnose: z
      .array(runCommandSchema)
      .optional()
      .describe(
        'Run only when the step fails; their output goes into the report (e.g. kubectl get endpoints)',
      ),
    solve: z.array(runCommandSchema).optional().describe('What `lab solve` runs to complete the step'),
    cleanup: z
      .array(runCommandSchema)
      .optional()
      .describe('Always run when the step ends (also on failure and Ctrl-C)'),
  })
  .describe('One stage of the tutorial');

export const labSpecSchema = z
  .strictObject({
    $schema: z.string().optional(),
    title: localizedTextSchema.describe('The lab’s name as students read it (or {en, ko})'),
    description: localizedTextSchema
      .optional()
      .describe('Markdown shown by `lab list` (first line) and `lab explain` (or {en, ko})'),
    hosts: z.array(hostName).min(1).describe('Lab hosts the steps use, by their lab names'),
    controlPlane: hostName.optional().describe('Host kubectl runs on (default: the first of hosts)'),
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: 'must be a Kubernetes namespace name' })
      .default('default'),
    defaults: z
      .strictObject({
        timeout: stepTimeout.optional().describe('Step deadline (default 120s)'),
        interval: interval.optional().describe('Pause between check attempts (default 2s)'),
        commandTimeout: commandTimeout.optional().describe('Per-command timeout (default 60s)'),
      })
      .optional(),
    steps: z.array(stepSchema).min(1),
    cleanup: z
      .array(runCommandSchema)
      .optional()
      .describe('What `lab reset` runs to remove everything the lab made'),
  })
  .superRefine((lab, ctx) => {
    const known = new Set(lab.hosts);
    if (lab.controlPlane !== undefined && !known.has(lab.controlPlane))
      ctx.addIssue({
        code: 'custom',
        path: ['controlPlane'],
        message: `must be one of hosts (${lab.hosts.join(', ')})`,
      });
    const seen = new Map<string, number>();
    lab.steps.forEach((step, i) => {
      const first = seen.get(step.id);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'id'],
          message: `duplicate step id "${step.id}" (also steps[${first}])`,
        });
      else seen.set(step.id, i);
    });
    const checkHost = (host: string | undefined, path: (string | number)[]) => {
      if (host !== undefined && !known.has(host))
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'host'],
          message: `unknown host "${host}": must be one of hosts (${lab.hosts.join(', ')})`,
        });
    };
    const lists = ['setup', 'run', 'solve', 'cleanup', 'diagnose'] as const;
    lab.steps.forEach((step, i) => {
      for (const list of lists) step[list]?.forEach((c, j) => checkHost(c.host, ['steps', i, list, j]));
      step.checks.forEach((c, j) => checkHost(c.command?.host, ['steps', i, 'checks', j, 'command']));
    });
    lab.cleanup?.forEach((c, j) => checkHost(c.host, ['cleanup', j]));
  });

export type LabSpecInput = z.input<typeof labSpecSchema>;
export type LabSpecParsed = z.output<typeof labSpecSchema>;
export type RunCommandSpec = z.output<typeof runCommandSchema>;
export type CheckSpecParsed = z.output<typeof checkSchema>;
export type ExpectSpec = z.output<typeof expectSchema>;
export type TextMatchers = z.output<typeof textMatchersSchema>;
export type JsonPathMatcher = z.output<typeof jsonPathMatcherSchema>;
export type StepSpecParsed = z.output<typeof stepSchema>;
