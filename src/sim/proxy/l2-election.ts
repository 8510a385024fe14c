// MetalLB's layer-2 leader election for one address (speaker/layer2_controller.go ShouldAnnounce): the
// candidate nodes sorted by sha256(node + "#" + ip), the first announces. Every speaker computes the same
// order, so exactly one node answers ARP for the address.
import { createHash } from 'node:crypto';

export function announcingNode(candidates: readonly string[], ip: string): string | undefined {
  const key = (node: string): Buffer => createHash('sha256').update(`${node}#${ip}`).digest();
  return [...candidates].sort((a, b) => Buffer.compare(key(a), key(b)))[0];
}
