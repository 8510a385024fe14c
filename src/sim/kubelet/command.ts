// The container's argv as Kubernetes combines a container's `command`/`args` with its image's
// ENTRYPOINT/CMD (https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/
// "Notes"): command replaces ENTRYPOINT and drops CMD; args alone replace CMD.
export interface ImageConfig {
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
}

export function containerArgv(
  image: ImageConfig,
  spec: { readonly command?: readonly string[] | undefined; readonly args?: readonly string[] | undefined },
): string[] {
  if (spec.command && spec.command.length > 0) return [...spec.command, ...(spec.args ?? [])];
  if (spec.args && spec.args.length > 0) return [...image.entrypoint, ...spec.args];
  return [...image.entrypoint, ...image.cmd];
}
