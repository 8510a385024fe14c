// The lab commands through the real CLI entry (commander), without a cluster: dry runs and usage errors.
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function lab(args: string[]) {
  return execa(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    env: { CI: 'true', LAB_STATE_DIR: '/nonexistent/labkit-state' },
    reject: false,
  });
}

describe('lab CLI', () => {
  test('check --dry-run prints the plan with the --timeout override and connects nowhere', async () => {
    const r = await lab(['check', 'service', '--step', '3', '--dry-run', '--timeout', '5s']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('step 3 cluster-ip-service:');
    expect(r.stdout).toContain('(timeout 5 s, every 2 s)');
    expect(r.stdout).toContain('[check] master-node$ kubectl get service hostname-service-clusterip -o json');
  }, 30_000);

  test('usage errors exit 2 with a sentence saying what to do', async () => {
    const solve = await lab(['solve', 'service']);
    expect([solve.exitCode, solve.stderr.trim()]).toEqual([
      2,
      'lab solve needs exactly one of --step N, --from N or --all',
    ]);
    const step = await lab(['check', 'service', '--step', '9', '--dry-run']);
    expect(step.exitCode).toBe(2);
    expect(step.stderr).toContain('--step "9": lab service has steps 1-6 (deployment, pods-by-ip,');
    const report = await lab(['check', 'service', '--report', 'pdf:x.pdf', '--dry-run']);
    expect(report.exitCode).toBe(2);
    expect(report.stderr).toContain('--report "pdf:x.pdf": expected KIND:PATH');
  }, 60_000);
});
