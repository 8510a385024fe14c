// The lab commands through the real CLI entry (commander), without a cluster: dry runs and usage errors.
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function lab(args: string[], env: Record<string, string | undefined> = {}) {
  return execa(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    // No locale from the machine running the tests: each test says which language it wants.
    env: {
      CI: 'true',
      LAB_STATE_DIR: '/nonexistent/labkit-state',
      LANG: 'C.UTF-8',
      LC_ALL: undefined,
      LC_MESSAGES: undefined,
      LABKIT_LANG: undefined,
      ...env,
    },
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

  test('LANG=ko_KR.UTF-8 lab explain service speaks Korean: titles, descriptions, check titles, hints', async () => {
    const r = await lab(['explain', 'service'], { LANG: 'ko_KR.UTF-8' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('# 쿠버네티스 서비스(ClusterIP) (service)');
    expect(r.stdout).toContain(
      '## 1. 디플로이먼트 hostname-deployment가 echo-hostname 파드 3개를 실행  (deployment, 10점, 제한 시간 120 s)',
    );
    expect(r.stdout).toContain(
      '임시 파드를 실행해서 `kubectl get pod -o wide`로 확인한 파드의 IP 주소로 요청을 전달하세요',
    );
    expect(r.stdout).toContain(
      '확인 항목:\n  - 서비스가 튜토리얼과 같음 (ClusterIP, web-port 8080 → 80, selector app=webserver)',
    );
    expect(r.stdout).toContain(
      '힌트: `kubectl get service hostname-service-clusterip -o yaml`에 `sessionAffinity: ClientIP`가 보여야 합니다.',
    );
    expect(r.stdout).toContain(
      '## 6. 세션 어피니티(sessionAffinity: ClientIP)로 클라이언트마다 항상 같은 파드가 응답',
    );
    expect(r.stdout).not.toContain('Hint:');
  }, 30_000);

  test('--lang en overrides a Korean locale and LABKIT_LANG; LABKIT_LANG overrides the locale', async () => {
    const en = await lab(['explain', 'service', '--step', '1', '--lang', 'en'], {
      LANG: 'ko_KR.UTF-8',
      LABKIT_LANG: 'ko',
    });
    expect(en.exitCode).toBe(0);
    expect(en.stdout).toContain(
      '## 1. Deployment hostname-deployment runs 3 echo-hostname pods  (deployment, 10 points',
    );
    expect(en.stdout).not.toMatch(/[가-힣]{2}/);
    const ko = await lab(['explain', 'service', '--step', '1'], { LABKIT_LANG: 'ko' });
    expect(ko.stdout).toContain('## 1. 디플로이먼트 hostname-deployment');
    const bad = await lab(['explain', 'service', '--lang', 'fr']);
    expect([bad.exitCode, bad.stderr.trim()]).toEqual([
      2,
      '--lang "fr": labkit speaks en and ko (e.g. --lang ko)',
    ]);
  }, 60_000);
});
