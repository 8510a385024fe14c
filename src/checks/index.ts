// The registry of built-in checks: lab.yaml names one with `check: NAME` and passes `with:` parameters,
// validated by that check's strict schema when the spec is loaded.
import type { BuiltinCheck } from './types.ts';
import { podsAnswerByIp } from './pods-answer-by-ip.ts';
import { serviceSpread } from './service-spread.ts';
import { serviceReachable } from './service-reachable.ts';
import { endpointReplaced } from './endpoint-replaced.ts';
import { serviceEnv } from './service-env.ts';
import { sessionAffinity } from './session-affinity.ts';
import { nodePortOpen } from './node-port.ts';
import { loadBalancerIp } from './load-balancer.ts';
import { externalName } from './external-name.ts';
import { serviceShape } from './service-shape.ts';

export const builtinChecks: readonly BuiltinCheck[] = [
  podsAnswerByIp,
  serviceSpread,
  serviceReachable,
  endpointReplaced,
  serviceEnv,
  sessionAffinity,
  nodePortOpen,
  loadBalancerIp,
  externalName,
  serviceShape,
];

export function findCheck(name: string): BuiltinCheck | undefined {
  return builtinChecks.find((c) => c.name === name);
}

export type { BuiltinCheck, CheckContext, CheckOutcome } from './types.ts';
