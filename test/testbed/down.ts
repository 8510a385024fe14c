// `down`: removes everything `up` made, found two ways: from state.json and by the naming scheme
// (namespaces, veths, /etc/netns dirs, sshd processes started from the testbed directory), so a killed
// `up` or a lost state file still ends in a clean machine.
import { readdir, rm, rmdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { assertLinuxRoot, withTestbedLock } from './guard.ts';
import { removeAuthorizedKeys, removeSudoers, removeUserIfOurs } from './identity.ts';
import { BRIDGE, isTestbedNetns, isTestbedVeth } from './layout.ts';
import { linkExists, listLinks, listNetns, listNetnsEtc, removeBridge } from './network.ts';
import { NETNS_ETC, testbedPaths, type TestbedPaths } from './paths.ts';
import { terminate } from './processes.ts';
import { removePodSandboxes } from './pods.ts';
import { removeHostGuard } from './host-guard.ts';
import { removeHost } from './remove.ts';
import { shQuiet } from './sh.ts';
import { findAllTestbedSshd } from './sshd.ts';
import { readState } from './state.ts';

export interface DownOptions {
  readonly dir?: string;
  readonly log?: (line: string) => void;
}

export interface DownReport {
  readonly namespaces: readonly string[];
  readonly links: readonly string[];
  readonly userRemoved: boolean;
}

/** Only the files the testbed writes, then the directory if that left it empty (never `rm -rf` a --dir). */
async function removeTestbedFiles(paths: TestbedPaths): Promise<void> {
  for (const file of [paths.inventory, paths.knownHosts, paths.clientKey, paths.clientPublicKey])
    await rm(file, { force: true });
  await rm(`${paths.dir}/hosts`, { recursive: true, force: true });
  for (const entry of await readdir(paths.dir).catch(() => [] as string[]))
    if (entry.startsWith(basename(paths.state))) await rm(`${paths.dir}/${entry}`, { force: true });
  await rmdir(paths.dir).catch(() => undefined);
}

async function tearDown(options: DownOptions): Promise<DownReport> {
  const log = options.log ?? (() => undefined);
  const paths = testbedPaths(options.dir);
  const state = await readState(paths.state);
  const vethOf = new Map((state?.hosts ?? []).map((h) => [h.netns, h.veth]));
  const namespaces = [
    ...new Set([...(state?.hosts ?? []).map((h) => h.netns), ...(await listNetns()).filter(isTestbedNetns)]),
  ];
  // sshd listeners that are in no namespace we know of (e.g. the namespace was deleted by hand).
  await terminate(await findAllTestbedSshd(paths));
  for (const netns of namespaces) {
    await removeHost(netns, vethOf.get(netns), paths);
    log(`removed ${netns}`);
  }
  // After the apiservers (their kubelets would recreate them): every pod's processes and namespace.
  const pods = await removePodSandboxes(undefined, `${paths.dir}/clusters/`);
  if (pods.length > 0) log(`removed ${pods.length} pod sandbox(es)`);
  const links = (await listLinks()).filter(isTestbedVeth);
  for (const link of links) await shQuiet('ip', ['link', 'del', link]);
  for (const netns of (await listNetnsEtc()).filter(isTestbedNetns))
    await rm(`${NETNS_ETC}/${netns}`, { recursive: true, force: true });
  await rmdir(NETNS_ETC).catch(() => undefined); // only if empty: other tools' namespaces keep theirs
  const hadBridge = await linkExists(BRIDGE);
  await removeBridge();
  await removeHostGuard();
  if (hadBridge) log(`removed bridge ${BRIDGE}`);
  await removeSudoers();
  await removeAuthorizedKeys();
  const userRemoved = await removeUserIfOurs();
  if (userRemoved) log('removed user vagrant (created by the testbed)');
  await removeTestbedFiles(paths);
  return {
    namespaces: [...namespaces, ...pods],
    links: [...links, ...(hadBridge ? [BRIDGE] : [])],
    userRemoved,
  };
}

/** Removes the testbed; safe to run any time (nothing there → nothing done). */
export async function testbedDown(options: DownOptions = {}): Promise<DownReport> {
  assertLinuxRoot();
  return withTestbedLock(() => tearDown(options));
}
