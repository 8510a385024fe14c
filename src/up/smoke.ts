// Phase "smoke": what a student's first lab step relies on. Node addresses are the private IPs (not NAT),
// and a pod resolves cluster DNS (CoreDNS through the pod network).
import { t } from '../i18n/index.ts';
import { listNodes, nodeAddressProblems } from '../cluster/health.ts';
import { kubectlOn } from '../cluster/kubectl.ts';
import { controlPlaneOf } from '../config/schema.ts';
import type { RemoteExecutor } from '../ssh/types.ts';
import { PhaseError, type UpContext } from './context.ts';

export const SMOKE_POD = 'labkit-smoke-dns';
export const SMOKE_IMAGE = 'docker.io/library/busybox:1.36';

export async function smokeCheck(
  ctx: UpContext,
  ssh: RemoteExecutor,
  report: (text: string) => void,
): Promise<string> {
  const master = controlPlaneOf(ctx.config);
  const kubectl = kubectlOn(ssh, master.name);
  report('node addresses');
  const problems = nodeAddressProblems(await listNodes(kubectl), ctx.config.nodes);
  if (problems.length > 0) {
    throw new PhaseError('smoke', t().up.errors.nodeAddresses(problems.map((p) => `  - ${p}`).join('\n')));
  }
  report('DNS from a pod');
  // A leftover pod from an interrupted run would make `kubectl run` fail: remove it first.
  await kubectl.raw(['delete', 'pod', SMOKE_POD, '--ignore-not-found', '--wait=true'], { timeoutMs: 60_000 });
  const dns = await kubectl.raw(
    [
      'run',
      SMOKE_POD,
      `--image=${SMOKE_IMAGE}`,
      '--restart=Never',
      '--rm',
      '-i',
      '--quiet',
      '--pod-running-timeout=3m',
      '--command',
      '--',
      'nslookup',
      'kubernetes.default.svc.cluster.local',
    ],
    { timeoutMs: 4 * 60_000 },
  );
  const answered = /Address:?\s+\d+\.\d+\.\d+\.\d+/.test(dns.stdout.split(/Name:/).slice(1).join(''));
  if (dns.exitCode !== 0 || !answered) {
    await kubectl.raw(['delete', 'pod', SMOKE_POD, '--ignore-not-found', '--wait=false'], {
      timeoutMs: 30_000,
    });
    throw new PhaseError(
      'smoke',
      t().up.errors.dnsFailed(
        String(dns.exitCode ?? dns.signal),
        `${dns.stdout}\n${dns.stderr}`.trim().split('\n').slice(-6).join('\n'),
        SMOKE_IMAGE,
      ),
    );
  }
  return `${ctx.config.nodes.length} distinct node IPs (none NAT); pod DNS answers`;
}
