// exec and attach streams of the simulated kube-apiserver (see types.ts for the contract).
export {
  handleStreamUpgrade,
  rejectStreamUpgrade,
  streamRequestOrReject,
  upgradeProblem,
} from './upgrade.ts';
export { parseStreamRequest, StreamRequestError } from './request.ts';
export { failureStatus, type Status } from './status.ts';
export * from './types.ts';
