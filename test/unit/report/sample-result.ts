// A finished run with one passing step (a spread observed with its fit), one failing step (a spread without a
// fit, and hostile text everywhere a report prints it) and one skipped step.
import type { LabRunResult } from '../../../src/lab/results.ts';

export const HOSTILE = `a|b <x> & "q" 'a' ]]> \u0001 \`\`\` end`;

export function sampleResult(): LabRunResult {
  return {
    lab: 'service',
    title: 'Kubernetes Service (ClusterIP)',
    lang: 'en',
    target: 'c1',
    mode: 'check',
    startedAt: '2026-11-25T14:00:00.000Z',
    durationMs: 4321.4,
    points: 20,
    maxPoints: 40,
    interrupted: false,
    exitCode: 1,
    steps: [
      {
        index: 1,
        id: 'cluster-ip-service',
        title: 'Service answers',
        stableTitle: 'Service answers',
        status: 'pass',
        durationMs: 1500,
        points: 20,
        maxPoints: 20,
        message: '1 check passed',
        commands: [
          {
            phase: 'check',
            host: 'master-node',
            command: 'kubectl exec client -- sh -c …',
            exitCode: 0,
            durationMs: 12,
            timedOut: false,
            canceled: false,
          },
        ],
        checks: [
          {
            title: 'service-spread',
            stableTitle: 'service-spread',
            kind: 'service-spread',
            status: 'pass',
            message: 'spread fits',
            expected: 'uniform',
            actual: 'pod-a: 20, pod-b: 21, pod-c: 19',
            observed: {
              requests: 60,
              spread: {
                what: '60 requests by ClusterIP:8080 over 3 pods',
                counts: { 'pod-a': 20, 'pod-b': 21, 'pod-c': 19 },
                chiSquared: 0.1,
                pValue: 0.951229424500714,
              },
            },
            attempts: 1,
            durationMs: 1400,
            commands: [],
          },
        ],
        cleanup: [{ label: 'client pod', ok: true, message: 'done' }],
      },
      {
        index: 2,
        id: 'session-affinity',
        title: `Affinity ${HOSTILE}`,
        stableTitle: `Affinity ${HOSTILE}`,
        status: 'fail',
        durationMs: 2800,
        points: 0,
        maxPoints: 10,
        message: `check 1 of 1 "session-affinity": ${HOSTILE}`,
        failure: {
          check: 'session-affinity',
          command: `kubectl exec c -- sh -c 'wget ${HOSTILE}'`,
          host: 'master-node',
          expected: 'each client reaches one pod',
          actual: `client-1: pod-a 5, pod-b 5\n${HOSTILE}`,
        },
        hint: `Check sessionAffinity.\nSecond line ${HOSTILE}`,
        commands: [],
        checks: [
          {
            title: 'session-affinity',
            stableTitle: 'session-affinity',
            kind: 'session-affinity',
            status: 'fail',
            message: HOSTILE,
            expected: 'each client reaches one pod',
            actual: 'client-1: pod-a 5, pod-b 5',
            observed: {
              mapping: { 'client-1': { 'pod-a': 5, 'pod-b': 5 } },
              spread: {
                what: '10 requests by ClusterIP:8080 over 2 pods',
                counts: { 'pod-a': 5, 'pod-b': 5 },
              },
            },
            attempts: 7,
            durationMs: 2700,
            commands: [],
          },
        ],
        cleanup: [],
      },
      {
        index: 3,
        id: 'later',
        title: 'Later',
        stableTitle: 'Later',
        status: 'skip',
        durationMs: 0,
        points: 0,
        maxPoints: 10,
        message: 'not run: a lab host was unreachable',
        commands: [],
        checks: [],
        cleanup: [],
      },
    ],
  };
}
