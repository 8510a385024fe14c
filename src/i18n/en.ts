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
      kubeconfig: 'kubeconfig exported to .lab/kubeconfig',
      smoke: 'Smoke check: node IPs, DNS from a pod',
      snapshot: 'Snapshot of every VM (for npm run lab:reset)',
    } satisfies Record<PhaseName, string>,
    status: { done: 'done', skipped: 'skipped', failed: 'failed' },
    summary: (failed: boolean, time: string) => `lab:up ${failed ? 'FAILED' : 'done'} in ${time}`,
  },
};
