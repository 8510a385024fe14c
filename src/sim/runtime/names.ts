// Global names of a pod's kernel objects (docs: /work/notes/real-pods-contract.md "Addresses and names").
// They are global on the machine, so they carry the testbed cluster's number; `testbed down` removes
// everything named `lkpod-c<cluster>-*` and every veth named `cali*` in its node namespaces.
import { createHash } from 'node:crypto';

const hex = (uid: string): string => uid.replaceAll('-', '').toLowerCase();

/** The pod's network namespace: `lkpod-c<cluster>-<first 12 hex of the uid>`. */
export const sandboxName = (cluster: number, podUid: string): string =>
  `lkpod-c${cluster}-${hex(podUid).slice(0, 12)}`;

/** The node-side veth, as Calico names it: `cali` + 11 hex of sha1(uid) (15 characters, IFNAMSIZ-1). */
export const hostVethName = (podUid: string): string =>
  `cali${createHash('sha1').update(podUid).digest('hex').slice(0, 11)}`;

/** A container's cgroup (under each controller's root): the sandbox name and the container name. */
export const cgroupName = (sandbox: string, container: string): string => `${sandbox}-${container}`;
