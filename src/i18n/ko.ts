// 한국어: 튜토리얼(서비스, 파드, 디플로이먼트, 세션 어피니티 ...)의 용어와 존댓말(합니다/하세요)로 씁니다.
// Kubernetes 식별자(kubectl, ClusterIP, sessionAffinity)와 명령은 번역하지 않습니다.
import type { Messages } from './catalog.ts';

export const ko: Messages = {
  status: { pass: '통과', fail: '실패', skip: '건너뜀', error: '오류' },
  run: {
    labStart: (lab, mode, target, steps) =>
      `lab ${lab}: ${target}에서 ${mode === 'solve' ? '풀이(solve)' : '확인(check)'} (${steps}단계)`,
    labStartShort: (lab, mode, target) =>
      `lab ${lab}: ${target}에서 ${mode === 'solve' ? '풀이(solve)' : '확인(check)'}`,
    attempts: (n) => `${n}회 시도, `,
    retrying: (check, attempt, actual) => `${check}: 다시 시도하는 중 (${attempt}): ${actual}`,
    skipped: (step) => `${step}: 건너뜀`,
    command: '명령:',
    expected: '기대 결과:',
    actual: '실제 결과:',
    hint: '힌트:',
    diagnose: '진단:',
    cleanupFailed: (label, message) => `정리 작업 ${label} 실패: ${message}`,
    summaryHead: { step: '단계', title: '제목', status: '결과', points: '점수', time: '시간' },
    summaryTotal: (lab, target, points, passed, steps, time, interrupted) =>
      `${target}의 ${lab}: ${points}점, ${steps}단계 중 ${passed}단계 통과, 소요 시간 ${time}${interrupted ? ' (중단됨)' : ''}`,
  },
  explain: {
    stepHead: (index, title, id, points, timeout) =>
      `## ${index}. ${title}  (${id}, ${points}점, 제한 시간 ${timeout})`,
    checks: '확인 항목:',
    hint: '힌트:',
    solveRuns: '`lab solve`가 실행하는 명령:',
    hosts: (hosts, controlPlane, namespace) =>
      `호스트: ${hosts}; kubectl은 ${controlPlane}에서 실행; 네임스페이스 ${namespace}.`,
    listEntry: (title, steps, points) => `${title} (${steps}단계, ${points}점)`,
  },
  up: {
    phases: {
      preflight: '사전 점검: vagrant, 프로바이더, 박스, 호스트 RAM/CPU/디스크, 네트워크 범위',
      base: 'VM 기본 OS 설정 (swap, 커널 모듈, sysctl, hosts, kubelet 노드 IP)',
      vms: 'VM 기동 (vagrant up: 기본 OS, containerd, kubeadm, Calico)',
      join: '워커 노드 조인 (새 조인 토큰)',
      ready: '노드, calico-node, CoreDNS Ready',
      kubeconfig: 'kubeconfig를 .lab/kubeconfig로 내보냄',
      smoke: '스모크 체크: 노드 IP, 파드에서 DNS 조회',
      snapshot: '모든 VM의 스냅샷 (npm run lab:reset용)',
    },
    status: { done: '완료', skipped: '건너뜀', failed: '실패' },
    summary: (failed, time) => `lab:up ${failed ? '실패' : '완료'}, 소요 시간 ${time}`,
  },
};
