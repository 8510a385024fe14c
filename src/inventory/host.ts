// A host as the inventory describes it, every default applied: the data the SSH layer (src/ssh/targets.ts)
// turns into connections. Defined here, with the inventory, so configuration depends on nothing that acts on it.

/** OpenSSH's own default, for hosts whose known_hosts file is not named. */
export const DEFAULT_KNOWN_HOSTS = '~/.ssh/known_hosts';

/** How a server's host key is checked: part of a host's description, whether an inventory or `vagrant ssh-config`
 *  gave it. Vagrant's local VMs opt out; everything else verifies. */
export type HostKeyPolicy =
  /** The key must already be in knownHostsFile (OpenSSH format). */
  | { readonly mode: 'strict'; readonly knownHostsFile: string }
  /** Unknown hosts are trusted on first use and appended; a changed key is refused. */
  | { readonly mode: 'accept-new'; readonly knownHostsFile: string }
  /** No check at all: only for Vagrant VMs on a host-only network (Vagrant itself ignores host keys). */
  | { readonly mode: 'ignore' };

/** One host of an inventory with every default applied and paths resolved (src/inventory/load.ts builds these). */
export interface InventoryHost {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly identityFile: string;
  readonly hostKey: HostKeyPolicy;
  readonly connectTimeoutSec?: number;
  readonly jump?: Omit<InventoryHost, 'name' | 'jump'>;
}
