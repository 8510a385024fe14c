// A GET from the machine running labkit to a lab address (a node's NodePort, a LoadBalancer IP): what the
// student's own browser does. Node's fetch (undici) with one deadline for connect + answer, so an address that
// drops packets costs `timeoutMs`, never a hang. Only ever sent to addresses a check read from the cluster.
import type { HostHttpOptions, HostHttpResult } from '../checks/types.ts';

/** Bodies are echo-hostname pages (a few hundred bytes); anything longer is cut, not buffered whole. */
const MAX_BODY = 16_384;

export async function hostHttpGet(url: string, options: HostHttpOptions): Promise<HostHttpResult> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    const response = await fetch(url, { signal, redirect: 'manual' });
    const body = (await response.text()).slice(0, MAX_BODY);
    return { ok: true, status: response.status, body };
  } catch (error) {
    if (timeout.aborted) return { ok: false, error: 'timeout' };
    if (options.signal?.aborted) return { ok: false, error: 'canceled' };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, error: cause?.code ?? cause?.message ?? String(error) };
  }
}
