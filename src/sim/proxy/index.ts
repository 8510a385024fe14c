// kube-proxy (iptables mode) and node networking for the simulated lab's node namespaces.
export { renderRules, probability, blackholedIps, JUMP_RULES, BLACKHOLE_CHAIN, MASQ_MARK } from './rules.ts';
export { RuleApplier, ProxyApplyError } from './apply.ts';
export { syncNodeNetwork, type NodeNetwork } from './node-network.ts';
export { svcChain, sepChain, extChain, svlChain, servicePortName } from './chain-names.ts';
export {
  PROXY_FAULTS,
  type ProxyFault,
  type ProxyInput,
  type ProxyService,
  type ProxyEndpoint,
} from './types.ts';
