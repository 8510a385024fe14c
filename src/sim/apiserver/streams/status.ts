// The metav1.Status objects of a stream: the error channel's exit report (what client-go's errorDecoderV4
// reads: Success, or Failure/NonZeroExitCode with an ExitCode cause) and the HTTP answer to a refused upgrade.
import type { StreamRequest } from './types.ts';

export interface Status {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Success' | 'Failure';
  readonly message?: string;
  readonly reason?: string;
  readonly details?: { readonly causes: readonly { readonly reason?: string; readonly message: string }[] };
  readonly code?: number;
}

const base = { kind: 'Status', apiVersion: 'v1', metadata: {} } as const;

/** What the kubelet reports when the command ended with `code`. */
export function exitStatus(request: StreamRequest, code: number): Status {
  if (code === 0) return { ...base, status: 'Success' };
  return {
    ...base,
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${request.command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** A command that could not start (e.g. not in the image): kube-apiserver's InternalError. */
export function startFailedStatus(runtimeMessage: string): Status {
  const message = `error executing command in container: ${runtimeMessage}`;
  return {
    ...base,
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  };
}

export function failureStatus(code: number, reason: string, message: string): Status {
  return { ...base, status: 'Failure', message, reason, code };
}
