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
  step: {
    passed: (checks) => `확인 ${checks}개 모두 통과했습니다`,
    checkFailed: (n, of, title, check, message) =>
      `확인 ${of}개 중 ${n}번째 "${title}"${check && check !== title ? ` (${check})` : ''}: ${message}`,
    checkNotRun: '실행하지 않음: 이 단계의 앞선 확인이 실패했습니다',
    phaseCommand: (phase, title) => `${phase} 명령${title ? ` "${title}"` : ''}`,
    commandFailed: (what, expected, actual) =>
      `${what} 실패: 기대한 결과는 ${expected}, 실제 결과는 ${actual}`,
    stoppedAtDeadline: '단계 제한 시간이 지나 중단했습니다',
    interrupted: '중단됨 (Ctrl-C); 정리 작업은 실행했습니다',
    diagnosticNotRun: (why) => `실행하지 않음: ${why}`,
    absent: (message) => `찾을 수 없습니다: 먼저 이 단계의 매니페스트를 적용하세요 (${message})`,
    settled: (message) =>
      `${message} (변화 없이 안정된 상태라 한 번만 확인했습니다; --wait를 주면 제한 시간까지 다시 확인합니다)`,
    converging: (seconds, message) => `${seconds}초가 지나도 아직 준비 중입니다: ${message}`,
    stillFailing: (message, attempts) => `${message} (${attempts}회 시도 후에도 실패)`,
    deadlineBeforeCheck: '이 확인을 실행하기 전에 단계 제한 시간이 지났습니다',
    oneAttempt: '한 번의 시도',
    none: '없음',
    notRun: {
      unreachable: '실행하지 않음: 실습 호스트에 연결할 수 없습니다',
      usage: '실행하지 않음: 사용법 문제로 실행을 멈췄습니다',
      interrupted: '실행하지 않음: 중단됨 (Ctrl-C)',
    },
  },
  match: {
    contains: (stream, text) => `${stream}에 ${text} 포함`,
    lacks: (stream, text) => `${stream}에 ${text} 없음`,
    matches: (stream, re) => `${stream}: 정규식 ${re}에 맞음`,
    noMatch: (stream, re) => `${stream}: 정규식 ${re}에 맞지 않음`,
    notJson: 'stdout이 JSON이 아닙니다 (명령에 -o json을 붙였는지 확인하세요)',
    missing: (path) => `${path} 값이 없음`,
    differs: (path, value, expected) => `${path}: ${value} (기대 값 ${expected})`,
    notList: (path, value) => `${path}: 목록이 아님 (${value})`,
    lengthDiffers: (path, length, expected) => `${path}: 항목 ${length}개 (기대 값 ${expected}개)`,
    hasLength: (path, length) => `${path}의 항목 ${length}개`,
    exitCode: (code) => `종료 코드 ${code}`,
    exitDiffers: (code, expected) => `종료 코드 ${code} (기대 값 ${expected})`,
    timedOut: (ms) => `${ms} ms 후 시간 초과`,
    canceled: '취소됨',
    killed: (signal) => `${signal} 시그널로 종료됨`,
    asExpected: '기대한 대로입니다',
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
      metallb: 'MetalLB (노드 네트워크의 LoadBalancer 주소)',
      kubeconfig: 'kubeconfig를 .lab/kubeconfig로 내보냄',
      smoke: '스모크 체크: 노드 IP, 파드에서 DNS 조회',
      snapshot: '모든 VM의 스냅샷 (npm run lab:reset용)',
    },
    status: { done: '완료', skipped: '건너뜀', failed: '실패' },
    summary: (failed, time) => `lab:up ${failed ? '실패' : '완료'}, 소요 시간 ${time}`,
  },
};
