// English: the default, and the shape every other language must fill (src/i18n/catalog.ts types `ko` with it).
// Functions take the values a message names, so no caller builds a sentence around a translated fragment.
import type { PhaseName } from '../up/context.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const en = {
  status: { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', error: 'ERROR' },
  run: {
    labStart: (lab: string, mode: string, target: string, steps: number) =>
      `lab ${lab}: ${mode} on ${target} (${plural(steps, 'step')})`,
    labStartShort: (lab: string, mode: string, target: string) => `lab ${lab}: ${mode} on ${target}`,
    attempts: (n: number) => `${n} attempts, `,
    retrying: (check: string, attempt: number, actual: string) =>
      `${check}: retrying (${attempt}): ${actual}`,
    skipped: (step: string) => `${step}: skipped`,
    /** Labels of a failure's lines, each padded to one column by the renderer. */
    command: 'command:',
    expected: 'expected:',
    actual: 'actual:',
    hint: 'hint:',
    diagnose: 'diagnose:',
    cleanupFailed: (label: string, message: string) => `cleanup ${label} failed: ${message}`,
    summaryHead: { step: 'step', title: 'title', status: 'status', points: 'points', time: 'time' },
    summaryTotal: (
      lab: string,
      target: string,
      points: string,
      passed: number,
      steps: number,
      time: string,
      interrupted: boolean,
    ) =>
      `${lab} on ${target}: ${points} points, ${passed}/${steps} steps passed in ${time}${interrupted ? ' (interrupted)' : ''}`,
  },
  /** A step's and a check's one-line verdicts (src/lab/step-runner.ts, poll-check.ts, runner.ts). */
  step: {
    passed: (checks: number) => `${plural(checks, 'check')} passed`,
    /** `check` names the built-in check when the title is another text (undefined for a command check). */
    checkFailed: (n: number, of: number, title: string, check: string | undefined, message: string) =>
      `check ${n} of ${of} "${title}"${check && check !== title ? ` (${check})` : ''}: ${message}`,
    checkNotRun: 'not run: an earlier check of this step failed',
    phaseCommand: (phase: string, title: string | undefined) =>
      `${phase} command${title ? ` "${title}"` : ''}`,
    commandFailed: (what: string, expected: string, actual: string) =>
      `${what} failed: expected ${expected}, got ${actual}`,
    stoppedAtDeadline: 'stopped at the step deadline',
    interrupted: 'interrupted (Ctrl-C); cleanup ran',
    diagnosticNotRun: (why: string) => `not run: ${why}`,
    absent: (message: string) => `not found: apply the step's manifest first (${message})`,
    settled: (message: string) =>
      `${message} (settled, nothing converging: checked once; --wait polls to the deadline)`,
    converging: (seconds: number, message: string) => `still converging after ${seconds} s: ${message}`,
    stillFailing: (message: string, attempts: number) =>
      `${message} (still failing after ${attempts} attempts)`,
    deadlineBeforeCheck: 'the step deadline passed before this check could run',
    oneAttempt: 'one attempt',
    none: 'none',
    notRun: {
      unreachable: 'not run: a lab host was unreachable',
      usage: 'not run: the run stopped on a usage problem',
      interrupted: 'not run: interrupted (Ctrl-C)',
    },
  },
  /** A command check's matchers: what was expected and what failed (src/lab/matchers.ts). */
  match: {
    contains: (stream: string, text: string) => `${stream} contains ${text}`,
    lacks: (stream: string, text: string) => `${stream} does not contain ${text}`,
    matches: (stream: string, re: string) => `${stream} matches ${re}`,
    noMatch: (stream: string, re: string) => `${stream} does not match ${re}`,
    notJson: 'stdout is not JSON (did the command use -o json?)',
    missing: (path: string) => `${path} is missing`,
    differs: (path: string, value: string, expected: string) => `${path} is ${value}, expected ${expected}`,
    notList: (path: string, value: string) => `${path} is not a list (${value})`,
    lengthDiffers: (path: string, length: number, expected: number) =>
      `${path} has ${plural(length, 'item')}, expected ${expected}`,
    hasLength: (path: string, length: number) => `${path} has ${length} items`,
    exitCode: (code: number) => `exit code ${code}`,
    exitDiffers: (code: number, expected: number) => `exit code ${code}, expected ${expected}`,
    timedOut: (ms: number) => `timed out after ${ms} ms`,
    canceled: 'canceled',
    killed: (signal: string) => `killed by ${signal}`,
    asExpected: 'as expected',
  },
  explain: {
    stepHead: (index: number, title: string, id: string, points: number, timeout: string) =>
      `## ${index}. ${title}  (${id}, ${plural(points, 'point')}, timeout ${timeout})`,
    checks: 'Checks:',
    hint: 'Hint:',
    solveRuns: '`lab solve` runs:',
    hosts: (hosts: string, controlPlane: string, namespace: string) =>
      `Hosts: ${hosts}; kubectl on ${controlPlane}; namespace ${namespace}.`,
    listEntry: (title: string, steps: number, points: number) =>
      `${title} (${plural(steps, 'step')}, ${plural(points, 'point')})`,
  },
  up: {
    phases: {
      preflight: 'Preflight: vagrant, provider, box, host RAM/CPU/disk, network range',
      base: 'Base OS on the VMs (swap, kernel modules, sysctl, hosts, kubelet node IP)',
      vms: 'VMs up (vagrant up: base OS, containerd, kubeadm, Calico)',
      join: 'Workers joined (fresh join token)',
      ready: 'Nodes, calico-node and CoreDNS Ready',
      metallb: 'MetalLB (LoadBalancer addresses on the node network)',
      kubeconfig: 'kubeconfig exported to .lab/kubeconfig',
      smoke: 'Smoke check: node IPs, DNS from a pod',
      snapshot: 'Snapshot of every VM (for npm run lab:reset)',
    } satisfies Record<PhaseName, string>,
    status: { done: 'done', skipped: 'skipped', failed: 'failed' },
    summary: (failed: boolean, time: string) => `lab:up ${failed ? 'FAILED' : 'done'} in ${time}`,
  },
};
