// The simulated lab's container runtime: images, pod sandboxes (netns + veth + pod files), containers as
// real processes, exec/attach, logs. The kubelet (src/sim/kubelet) is its one caller.
export {
  buildImages,
  lookupImage,
  containerArgv,
  repositoryOf,
  type Image,
  type ImageLookup,
} from './images.ts';
export { BUSYBOX_DEB, fetchBusyboxDeb } from './busybox-deb.ts';
export {
  createSandbox,
  ip,
  removeSandbox,
  sandboxOf,
  POD_MTU,
  type Sandbox,
  type SandboxSpec,
} from './sandbox.ts';
export { hostsFile, resolvConf, writePodFiles, type PodFilesSpec, type HostAlias } from './pod-files.ts';
export { sandboxName, hostVethName, cgroupName } from './names.ts';
export { cgroupVersion, DEFAULT_LIMITS, type Limits } from './cgroup.ts';
export {
  startContainer,
  stopContainer,
  cleanupContainer,
  waitForExit,
  isRunning,
  readRecord,
  notFoundMessage,
  ContainerRecordSchema,
  type ContainerRecord,
  type ContainerSpec,
  type StartResult,
} from './container.ts';
export { containerRuntime, execInContainer, execNotFoundMessage } from './exec.ts';
export { followCriLog, followStreams, readLog, logSize, type FollowOptions } from './logs.ts';
export { attachContainer } from './attach.ts';
