// What every kubectl command gets: the state file, output streams, stdin, and helpers for the namespace
// and the reconciled cluster.
import type { ClusterState } from '../model/state.ts';
import { updateState } from '../store.ts';
import { flag, type ParsedArgs } from './args.ts';

export interface KubectlIo {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
}

export interface KubectlContext extends KubectlIo {
  readonly stateFile: string;
  readonly args: ParsedArgs;
}

export function namespaceOf(args: ParsedArgs): string {
  return flag(args, 'namespace') ?? 'default';
}

export function withCluster<T>(
  ctx: KubectlContext,
  change: (state: ClusterState, now: number) => T | Promise<T>,
): Promise<T> {
  return updateState(ctx.stateFile, change);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
