// Phase "metallb": MetalLB in L2 mode with the config's address pool (scripts/provision/metallb.sh, run on
// the control plane over SSH). After "ready": MetalLB's controller runs on a worker, and the pool is only
// accepted once its webhook answers. The script is idempotent, so every lab:up runs it; a run that found
// the release installed and the pool unchanged reports "skipped" (nothing changed, the snapshot stays).
import { t } from '../i18n/index.ts';
import { basename } from 'node:path';
import { controlPlaneOf } from '../config/schema.ts';
import { provisionScript } from '../provision/script.ts';
import type { RemoteExecutor } from '../ssh/types.ts';
import { PhaseError, type UpContext } from './context.ts';
import { outputTail } from './output-tail.ts';

/** MetalLB's own waits are 300 s each (controller, speakers, webhook) plus the download. */
const METALLB_TIMEOUT_MS = 20 * 60_000;

export async function installMetallb(
  ctx: UpContext,
  ssh: RemoteExecutor,
  report: (text: string) => void,
): Promise<string> {
  const metallb = ctx.config.metallb;
  if (!metallb?.enabled)
    return `skipped: metallb is off in ${basename(ctx.configPath)} (LoadBalancer Services stay <pending>)`;
  const master = controlPlaneOf(ctx.config);
  report(`MetalLB ${metallb.version} on ${master.name}, L2 pool ${metallb.pool}`);
  const result = await ssh.exec(
    master.name,
    { script: await provisionScript(ctx.projectDir, 'metallb') },
    {
      sudo: true,
      timeoutMs: METALLB_TIMEOUT_MS,
      env: {
        LAB_METALLB_VERSION: metallb.version,
        LAB_METALLB_POOL: metallb.pool,
        ...(metallb.manifestSha256 ? { LAB_METALLB_SHA256: metallb.manifestSha256 } : {}),
      },
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    },
  );
  if (result.exitCode !== 0) {
    const tail = outputTail(result);
    const why = result.timedOut
      ? t().up.errors.timedOutMin(METALLB_TIMEOUT_MS / 60_000)
      : t().up.errors.exit(String(result.exitCode ?? result.signal));
    throw new PhaseError(
      'metallb',
      t().up.errors.metallbFailed(master.name, metallb.version, why, tail, basename(ctx.configPath)),
    );
  }
  const unchanged =
    result.stdout.includes('already installed; skipping the manifest') &&
    result.stdout.includes('ipaddresspool.metallb.io/labkit-pool unchanged');
  return unchanged
    ? `skipped: MetalLB ${metallb.version} installed, L2 pool ${metallb.pool} unchanged`
    : `MetalLB ${metallb.version}, L2 pool ${metallb.pool}`;
}
