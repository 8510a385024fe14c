// 한국어: 튜토리얼(서비스, 파드, 디플로이먼트, 세션 어피니티 ...)의 용어와 존댓말(합니다/하세요)로 씁니다.
// Kubernetes 식별자(kubectl, ClusterIP, sessionAffinity)와 명령은 번역하지 않습니다.
import type { Messages } from './en.ts';

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
  checkDescription: {
    podsAnswerByIp:
      '클라이언트 파드에서 파드 IP로 요청하면 selector에 맞는 Ready 파드가 모두 응답하고, 응답 페이지에 그 파드의 이름이 나옵니다.',
    serviceReachable:
      '클라이언트 파드에서 서비스의 CLUSTER-IP:PORT와 DNS 이름(짧은 이름, 이름.네임스페이스, FQDN)으로 접근하면 서비스가 응답합니다.',
    serviceSpread:
      '서비스로 보낸 요청이 준비된 모든 엔드포인트에만 전달되고, 응답 수가 고르게 분산됩니다(카이제곱 검정). mode rr이면 정확한 라운드로빈이어야 합니다.',
    endpointReplaced:
      '파드를 삭제하면 서비스로 접근했을 때 그 파드는 다시 응답하지 않고, 새로 생성된 파드가 응답합니다.',
    serviceEnv:
      '서비스 생성 후 만든 파드에는 <NAME>_SERVICE_*, <NAME>_PORT_* 환경 변수가 올바른 값으로 설정되고, 서비스보다 먼저 만든 파드에는 없습니다.',
    sessionAffinity:
      'sessionAffinity: ClientIP이면 클라이언트 파드마다 모든 요청을 항상 동일한 파드 하나가 처리합니다.',
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
  traffic: {
    spreadTitle: (requests, by, port, pods) => `${by}:${port}로 보낸 요청 ${requests}개, 파드 ${pods}개`,
    rotationExpected: (pods, requests) =>
      `엔드포인트 ${pods}개가 요청 ${requests}개에 정확한 라운드로빈으로 응답`,
    spreadExpected: (pods, alpha) =>
      `엔드포인트 ${pods}개가 모두 응답하고, 응답 수가 고르게 분산됨 (카이제곱 검정, 유의수준 ${alpha})`,
    noAnswer: ', 응답 없음: ',
    unanswered: (n, requests, url, sample) =>
      `${url}로 보낸 요청 ${requests}개 중 ${n}개가 응답을 받지 못했습니다 (예: ${sample}). 모든 엔드포인트가 targetPort에서 서비스하고 있는지 확인하세요.`,
    strangers: (pods, _many, service, endpoints) =>
      `서비스 ${service}의 준비된 엔드포인트가 아닌 ${pods}에서 응답이 왔습니다 (엔드포인트: ${endpoints}). kube-proxy 규칙이 오래된 것은 아닌지 확인하세요.`,
    silent: (pods, requests, url) =>
      `${url}로 보낸 요청 ${requests}개에 파드 ${pods}이(가) 한 번도 응답하지 않았습니다. 파드가 Ready인지, 엔드포인트에 있는지 확인하세요.`,
    notRotation: (at, got, expected) =>
      `${at}번째 요청에 ${expected} 대신 ${got}이(가) 응답했습니다: 라운드로빈이 아닙니다 (kube-proxy가 IPVS 모드, rr 스케줄러인지 확인하세요)`,
    rotated: (pods, requests) => `파드 ${pods}개가 요청 ${requests}개에 정확한 라운드로빈으로 응답했습니다`,
    uneven: (actual, p, alpha) =>
      `응답이 고르게 분산되지 않았습니다 (${actual}; 카이제곱 p = ${p} < ${alpha}). sessionAffinity나 다른 selector와 겹치는 등으로 한 파드에 요청이 몰리는지 확인하세요.`,
    even: (pods, requests, p) =>
      `파드 ${pods}개가 요청 ${requests}개를 고르게 나눠 받았습니다 (카이제곱 p = ${p})`,
    affinityExpected: (clients, requests) =>
      `클라이언트 ${clients}개가 각각 요청 ${requests}개 모두 동일한 파드 하나에 접근`,
    affinityMissing: (service, affinity) =>
      `서비스 ${service}의 sessionAffinity가 ${affinity}입니다. ClientIP여야 합니다: sessionAffinity: ClientIP를 넣은 매니페스트를 적용하세요`,
    nothing: '응답 없음',
    affinityUnanswered: (n, requests, client, sample) =>
      `세션 어피니티: ${client}에서 보낸 요청 ${requests}개 중 ${n}개가 응답을 받지 못했습니다 (예: ${sample})`,
    affinityStrangers: (client, pods, service) =>
      `세션 어피니티: 클라이언트 ${client}에 서비스 ${service}의 엔드포인트가 아닌 ${pods}이(가) 응답했습니다`,
    affinitySpread: (client, pods, counts) =>
      `세션 어피니티: 클라이언트 ${client}의 요청이 파드 ${pods}개로 전달되었습니다 (${counts}). sessionAffinity: ClientIP가 적용되지 않았습니다`,
    affinityHeld: (pairs) => `클라이언트마다 동일한 파드 하나가 응답했습니다: ${pairs}`,
  },
  checks: {
    noAnswer: '응답 없음',
    unknown: '알 수 없음',
    podsByIp: {
      expected: (selector, minPods, port) =>
        `${selector}에 맞는 Ready 파드(최소 ${minPods}개)가 모두 http://<파드 IP>:${port}에서 자기 이름으로 응답`,
      tooFew: (ready, selector, namespace, minPods, notReady) =>
        `네임스페이스 ${namespace}에서 ${selector}에 맞는 Ready 파드가 ${ready}개입니다. 최소 ${minPods}개가 필요합니다${notReady ? ` (Ready가 아닌 파드: ${notReady})` : ''}. 디플로이먼트를 적용했는지, 이미지를 받아 왔는지 확인하세요.`,
      readyOf: (ready, live) => `${live}개 중 ${ready}개 Ready`,
      silent: (pod, ip, port, client, saw) =>
        `파드 ${pod} (${ip})이(가) 포트 ${port}에서 한 번도 응답하지 않았습니다. 파드가 Ready인지, 포트 ${port}에서 서비스하고 있는지 확인하세요. (${client}이(가) 받은 응답: ${saw})`,
      wrongName: (ip, answeredAs, pod) =>
        `${ip}에서 ${pod} 대신 ${answeredAs}이(가) 응답했습니다. 파드 IP가 재사용되었거나 다른 프로세스가 그 포트를 쓰고 있는지 확인하세요.`,
      passed: (pods) => `파드 ${pods}개가 파드 IP로 접근했을 때 자기 이름으로 응답했습니다`,
    },
    reachable: {
      expected: (urls, pods) => `${urls} 모두 엔드포인트 파드(${pods}) 중 하나가 응답`,
      clusterIpSilent: (url) =>
        `${url}이(가) 응답하지 않았습니다: ClusterIP로 라우팅되지 않습니다 (kube-proxy가 실행 중인지, targetPort가 맞는지 확인하세요)`,
      dnsSilent: (url, host) =>
        `${url}이(가) 응답하지 않았습니다. ${host}의 이름 풀이가 되는지 확인하세요 (파드에서 nslookup ${host}; CoreDNS가 Ready인지 확인하세요)`,
      stranger: (url, pod, service) =>
        `${url}에 서비스 ${service}의 엔드포인트가 아닌 ${pod}이(가) 응답했습니다`,
      passed: (service, kinds) => `서비스 ${service}이(가) ${kinds}(으)로 응답했습니다`,
    },
    replaced: {
      theDeletedPod: '삭제한 파드',
      expected: (deleted, deployment, desired) =>
        `${deleted}은(는) 더 이상 응답하지 않고, 디플로이먼트 ${deployment}의 Ready 파드가 ${desired}/${desired}개이며 모든 엔드포인트가 응답`,
      notReady: (deployment, ready, desired) =>
        `디플로이먼트 ${deployment}의 Ready 파드가 ${ready}/${desired}개입니다: 새로 생성된 파드가 아직 Ready가 아닙니다`,
      readyCount: (ready, desired) => `${ready}/${desired}개 Ready`,
      stillEndpoint: (pod, service) =>
        `삭제한 파드 ${pod}이(가) 아직 서비스 ${service}의 엔드포인트에 있습니다. 파드를 삭제했는지, 아직 종료 중(Terminating)인지 확인하세요.`,
      endpoints: (pods) => `엔드포인트: ${pods}`,
      stillAnswers: (pod, count, requests) =>
        `삭제한 파드 ${pod}이(가) 요청 ${requests}개 중 ${count}개에 여전히 응답했습니다. kube-proxy 규칙이 오래된 것은 아닌지 확인하세요.`,
      strangers: (pods, service) =>
        `서비스 ${service}의 엔드포인트가 아닌 ${pods}에서 응답이 왔습니다. kube-proxy 규칙이 오래된 것은 아닌지 확인하세요.`,
      unanswered: (n, requests, url, sample) =>
        `${url}로 보낸 요청 ${requests}개 중 ${n}개가 응답을 받지 못했습니다 (예: ${sample})`,
      silent: (pods, requests) =>
        `요청 ${requests}개에 파드 ${pods}이(가) 한 번도 응답하지 않았습니다. 파드가 Ready인지, 엔드포인트에 있는지 확인하세요.`,
      unknownPod: (memoryKey, deployment, desired, endpoints) =>
        `삭제한 파드의 이름을 알 수 없습니다 (deletedPod 매개변수가 없고 lab memory ${memoryKey}가 비어 있습니다): ${deployment}의 Ready 파드가 ${desired}/${desired}개이고 엔드포인트 ${endpoints}개만 응답하는지 확인했습니다`,
      passed: (pod, endpoints, pods) =>
        `${pod}은(는) 삭제되어 응답하지 않았고, 엔드포인트 ${endpoints}개(${pods})가 응답했습니다`,
    },
    env: {
      createdBefore: (pod, at, service, serviceAt) =>
        `파드 ${pod}은(는) ${at}에 생성되어 서비스 ${service}(${serviceAt})보다 먼저 만들어졌습니다. 이 파드에는 서비스 환경 변수가 있을 수 없으니 파드를 새로 만드세요.`,
      createdAfter: (at) => `${at} 이후에 생성된 파드`,
      notBefore: (pod, at, service, serviceAt) =>
        `podBefore ${pod}은(는) ${at}에 생성되어 서비스 ${service}(${serviceAt})보다 먼저 만들어지지 않았습니다`,
      olderPod: '서비스보다 먼저 만든 파드',
      expected: (pod, count, vars) =>
        `${pod}에 환경 변수 ${count}개(${vars})가 있고, 서비스보다 먼저 만든 파드에는 없음`,
      unset: '(설정 안 됨)',
      missing: (pod, missing, count, names, service, namespace) =>
        `파드 ${pod}에 서비스 환경 변수 ${count}개 중 ${missing}개(${names})가 없습니다. 파드를 네임스페이스 ${namespace}에서 서비스 ${service}보다 나중에 만들었는지 확인하세요. (enableServiceLinks가 false인가요?)`,
      wrongValue: (name, value, expected) => `${name}=${value} (기대 값 ${expected})`,
      wrong: (pod, values) =>
        `파드 ${pod}의 환경 변수 값이 다릅니다: ${values}. 파드가 시작된 뒤 서비스를 다시 만들었는지 확인하세요.`,
      leaked: (pod, service, names) =>
        `파드 ${pod}은(는) 서비스 ${service}보다 먼저 만들어졌는데 ${names}이(가) 있습니다. 파드는 시작할 때 이미 있던 서비스의 환경 변수만 받습니다.`,
      passed: (pod, count, prefix, older) =>
        `${pod}에 ${prefix}_* 환경 변수 ${count}개가 모두 있습니다${older ? `; 먼저 만든 파드 ${older}개에는 없습니다` : '; 서비스보다 먼저 만든 파드가 없어 없는지 확인할 파드가 없습니다'}`,
    },
    target: {
      headless: '헤드리스',
      type: (type) => `서비스 타입 ${type}`,
      noClusterIp: (service, why) =>
        `서비스 ${service}에 ClusterIP가 없습니다 (${why}). 튜토리얼의 서비스는 type ClusterIP입니다.`,
      aClusterIp: 'ClusterIP 있음',
      none: '없음',
      noPort: (service, port, ports) =>
        `서비스 ${service}에 포트 ${port}가 없습니다 (포트: ${ports}). 매니페스트나 확인의 port 값을 확인하세요.`,
      port: (port) => `포트 ${port}`,
      noPorts: '포트 없음',
      noReady: (service, notReady, selector) =>
        `서비스 ${service}에 준비된 엔드포인트가 없습니다${notReady ? ` (준비되지 않은 엔드포인트 ${notReady}개)` : ''}. Ready 파드가 selector ${selector || '(없음)'}에 맞는지 확인하세요.`,
      oneReady: '준비된 엔드포인트 1개 이상',
      notReadyList: (list) => `준비되지 않음: ${list}`,
      noEndpoints: '엔드포인트 없음',
      unnamed: (service, ips) =>
        `서비스 ${service}의 엔드포인트에 파드 참조가 없습니다 (${ips}). 응답을 파드와 연결할 수 없습니다.`,
      podBacked: '파드를 가리키는 엔드포인트 (targetRef)',
    },
    read: {
      timedOut: (command, ms, host) =>
        `${host}에서 ${command}이(가) ${ms} ms 안에 끝나지 않았습니다. API 서버가 실행 중인지 확인하세요.`,
      readable: (what) => `${what} 읽기 가능`,
      timeout: '시간 초과',
      notFound: (what, namespace) => `네임스페이스 ${namespace}에서 ${what}을(를) 찾을 수 없습니다`,
      failed: (command, host, exit, stderr) => `${host}에서 ${command} 실패 (exit ${exit}): ${stderr}`,
      exists: (what) => `${what} 있음`,
      exit: (exit) => `종료 코드 ${exit}`,
      notJson: (command, host) =>
        `${command}이(가) JSON을 출력하지 않았습니다. ${host}의 kubectl이 제대로 동작하는지 확인하세요.`,
      badJson: (command, what, path, issue) =>
        `${command}: ${what} JSON의 ${path}이(가) 예상과 다릅니다: ${issue}`,
      invalid: '잘못된 값',
      asApi: (what) => `Kubernetes API가 돌려주는 형식의 ${what}`,
    },
    client: {
      createFailed: (pod, namespace, stderr) =>
        `네임스페이스 ${namespace}에 클라이언트 파드 ${pod}을(를) 만들지 못했습니다: ${stderr}`,
      created: (pod, image) => `클라이언트 파드 ${pod} 생성 (kubectl run --image=${image})`,
      ready: (pod) => `클라이언트 파드 ${pod} Ready`,
      notReadyShort: 'Ready 아님',
      notReady: (pod, seconds, phase, image, namespace) =>
        `클라이언트 파드 ${pod}이(가) ${seconds}초가 지나도 Ready가 아닙니다 (phase ${phase}). 노드가 ${image} 이미지를 받을 수 있는지 확인하세요: kubectl describe pod ${pod} -n ${namespace}`,
      phase: (phase) => `상태(phase) ${phase}`,
      trafficTimeout: (pod, seconds) =>
        `파드 ${pod}에서 보낸 요청이 ${seconds}초 안에 끝나지 않았습니다. 요청이 멈춰 있습니다 (응답하는 엔드포인트가 없거나 kube-proxy 규칙 문제일 수 있습니다).`,
      answeredInTime: '모든 요청이 제한 시간 안에 응답을 받거나 거부됨',
      execFailed: (pod, exit, stderr) => `파드 ${pod}에 kubectl exec 실패 (exit ${exit}): ${stderr}`,
      shell: (pod) => `파드 ${pod}의 셸`,
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
  grade: {
    heading: (lab) => `${lab}: 반 성적`,
    labLine: (name, points, generated) => `실습 ${name}, 만점 ${points}점; 작성 시각 ${generated}.`,
    counts: (students, scored, statuses) => `학생 ${students}명; 채점 ${scored}명 (${statuses})`,
    meanMedian: (mean, median, max) => `평균 ${mean} / ${max}, 중앙값 ${median} / ${max}`,
    failedMost: (step, failed, message) => `가장 많이 실패한 단계: ${step} (${failed}명): ${message}`,
    students: '학생',
    passRate: '단계별 통과율',
    distribution: '점수 분포',
    failures: '실패 내역',
    noFailures: '실패한 학생이 없습니다.',
    mostFailed: '가장 많이 실패한 단계',
    noStepFailed: '실패한 단계가 없습니다.',
    needsLook: '확인이 필요한 학생',
    column: {
      student: '학생',
      name: '이름',
      contact: '이메일 / LMS ID',
      status: '상태',
      step: '단계',
      points: '점수',
      passed: '통과',
      passRate: '통과율',
      failed: '실패',
      topFailure: '가장 흔한 실패 (학생 수)',
      reasons: '사유 / 표시',
      total: '합계',
      flags: '표시',
      notes: '비고',
    },
    item: { command: '명령', expected: '기대 결과', actual: '실제 결과', hint: '힌트' },
    graded: (graded, students) => `학생 ${students}명 중 ${graded}명 채점 완료`,
  },
  preflight: {
    status: { pass: '통과', warn: '경고', fail: '실패' },
    fix: '해결:',
    found: (problems, ids) => `사전 점검에서 문제 ${problems}개를 찾았습니다: ${ids}`,
    passed: (checks) => `점검 ${checks}개 통과`,
    warnings: (warnings, ids) => `경고 ${warnings}개 (${ids}, 해결 방법은 사전 점검 출력에 있습니다)`,
    virtUnread: (reason) => `PowerShell로 가상화 설정을 읽지 못했습니다 (${reason})`,
    virtUnreadFix:
      '작업 관리자 > 성능 > CPU에서 "가상화"가 "사용"인지 확인하세요. 제 속도를 내려면 "가상화 기반 보안"과 Hyper-V는 꺼져 있어야 합니다.',
    hypervisor: (causes) =>
      `하이퍼바이저가 실행 중입니다 (Win32_ComputerSystem.HypervisorPresent: True${causes ? `; 켜진 기능: ${causes}` : ''}): 이 경우 VirtualBox는 Hyper-V를 거쳐 VM을 실행하므로 몇 배 느려지고, kubeadm이나 이미지 다운로드가 시간 초과될 수 있습니다`,
    hypervisorFix: [
      '제 속도를 내려면 하이퍼바이저를 켜는 기능을 끄고 Windows를 다시 시작하세요:',
      'Windows 보안 > 장치 보안 > 코어 격리 세부 정보의 메모리 무결성;',
      'Hyper-V, 가상 머신 플랫폼(WSL2에 필요), Windows 샌드박스는 관리자 PowerShell에서 `Disable-WindowsOptionalFeature -Online -FeatureName <name>`으로 끕니다',
      '(설치된 채로 두려면 관리자 권한으로 `bcdedit /set hypervisorlaunchtype off`를 실행하세요. 되돌릴 때는 `bcdedit /set hypervisorlaunchtype auto`입니다).',
      '지금 상태로도 lab:up은 동작하지만 느립니다.',
    ].join(' '),
    noVtx: (cpu) =>
      `이 CPU(${cpu})에는 하드웨어 가상화 기능이 없습니다 (Win32_Processor.VMMonitorModeExtensions: False): VirtualBox가 64비트 VM을 시작할 수 없습니다`,
    noVtxFix:
      '이 컴퓨터에서는 어떤 VM 프로바이더도 동작할 수 없습니다: 다른 컴퓨터로 실습하세요(README의 "On Windows" 참고).',
    vtxOff:
      '펌웨어에서 하드웨어 가상화가 꺼져 있습니다 (Win32_Processor.VirtualizationFirmwareEnabled: False): 켜기 전에는 VirtualBox가 64비트 VM을 시작할 수 없습니다',
    vtxOffFix:
      'UEFI/BIOS 설정으로 다시 시작하여(설정 > 시스템 > 복구 > 고급 시작 옵션 > 지금 다시 시작 > 문제 해결 > 고급 옵션 > UEFI 펌웨어 설정) Intel Virtualization Technology(VT-x) 또는 SVM Mode(AMD-V)를 켜고 저장한 뒤 `npm run lab:up`을 다시 실행하세요.',
    virtOk: (cpu) => `하드웨어 가상화 켜짐, 방해하는 하이퍼바이저 없음${cpu ? ` (${cpu})` : ''}`,
    vagrantHomeSet: (path) => `VAGRANT_HOME 환경 변수의 폴더 ${path}`,
    vagrantHomeProfile: (path) =>
      `Vagrant 홈 폴더 ${path} (VAGRANT_HOME이 설정되지 않아 사용자 프로필 아래에 있습니다)`,
    vagrantHomeBad: (where, chars) =>
      `${where}의 경로에 Windows용 Vagrant가 처리하지 못하는 문자가 있습니다 (${chars}): 모든 vagrant 명령이 인코딩 오류로 실패합니다 (hashicorp/vagrant#11431, #2465)`,
    vagrantHomeFix:
      'Vagrant에 ASCII 문자로만 된 경로의 폴더를 지정한 뒤, 새 PowerShell 창을 열고 npm run lab:up을 다시 실행하세요: `setx VAGRANT_HOME C:\\vagrant.d`',
    asciiOk: (where) => `${where}: ASCII 문자로만 된 경로`,
    projectBad: (path, chars) =>
      `프로젝트 폴더 ${path}의 경로에 Windows용 Vagrant가 처리하지 못하는 문자가 있습니다 (${chars}): Vagrant는 VM마다 상태와 SSH 키를 이 폴더 아래에 두기 때문에 이런 경로에서는 동작하지 않습니다 (hashicorp/vagrant#8276, #11431)`,
    projectFix:
      'labkit 폴더를 ASCII 영문자, 숫자, 공백, -, _로만 된 경로(예: C:\\labs\\labkit)로 옮기고, 그 폴더에서 PowerShell을 열어 npm run lab:up을 다시 실행하세요.',
    projectOk: (path) => `프로젝트 폴더 ${path}: ASCII 문자로만 된 경로`,
    vmFolderBad: (path, chars) =>
      `VirtualBox의 기본 머신 폴더 ${path}에 ASCII가 아닌 문자가 있습니다 (${chars}): 이런 폴더로 박스를 가져오다 실패한 사례가 있습니다 (hashicorp/vagrant#4966)`,
    vmFolderFix: (command) => `VirtualBox의 머신 폴더를 ASCII 문자로만 된 경로로 옮기세요: \`${command}\``,
    host: {
      projectOdd: (path, chars) =>
        `프로젝트 폴더 ${path}에 ASCII가 아닌 문자(${chars})가 있습니다. 예전 Vagrant 버전은 이런 경로에서 실패했습니다 (hashicorp/vagrant#8276)`,
      projectOddFix:
        'vagrant가 인코딩 오류("incompatible character encodings")를 보고하면 폴더를 ASCII 문자로만 된 경로로 옮기세요.',
      vagrantExited: (code) => `종료 코드 ${code}`,
      vagrantNotOnPath: 'PATH에서 찾을 수 없음',
      vagrantMissing: (bin, how) => `Vagrant가 설치되어 있지 않습니다 (\`${bin} --version\`: ${how})`,
      vagrantInstallFix: (command) =>
        `Vagrant를 설치하세요 (2.4.9 이상이면 labkit이 지원하는 모든 VirtualBox와 동작합니다): ${command}. 설치한 뒤 새 터미널을 여세요.`,
      build: (box, arch) => `${box}, ${arch} 빌드`,
      boxUnknownArch: (box, why) =>
        `${box}: 호스트 아키텍처를 알 수 없습니다 (${why}). Vagrant가 box 빌드를 직접 고릅니다`,
      boxPinFix: 'vagrant.boxArchitecture: amd64 또는 arm64로 지정하세요.',
      boxAuto: (host) => `vagrant.boxArchitecture가 auto이고 ${host}`,
      boxConfigured: (configured, host) => `설정 파일의 vagrant.boxArchitecture: ${configured} (${host})`,
      boxWrongArch: (build, arch, host) =>
        `${build}: 이 호스트의 VirtualBox는 ${arch} 게스트만 실행합니다 (${host})`,
      boxAutoFix: '설정 파일에서 vagrant.boxArchitecture: auto로 바꾸거나 그 줄을 지우세요.',
      boxOldVagrant: (build, version, needed) =>
        `${build}: Vagrant ${version}은(는) 아키텍처별로 box 빌드를 고르지 못해(Vagrant ${needed}부터 지원) amd64 빌드를 받게 됩니다`,
      vagrantUpdateFix: (command) => `Vagrant를 2.4.9 이상으로 업데이트하세요: ${command}.`,
      boxArm64Unknown: (build, why, provider) =>
        `${build} (${why}): 이 box에 ${provider}용 arm64 빌드가 있는지 labkit이 알 수 없습니다 (bento box에는 있습니다)`,
      boxArm64Fix:
        '`vagrant up`이 box가 provider를 지원하지 않는다고 하면 vagrant.box를 bento/ubuntu-22.04 같은 arm64 box로 바꾸세요.',
      boxOk: (build, why) => `${build}: ${why}`,
      vboxInstallWindows:
        'VirtualBox를 설치하세요: `winget install Oracle.VirtualBox` (또는 https://www.virtualbox.org/wiki/Downloads). 설치한 뒤 새 PowerShell 창을 여세요 (설치 프로그램이 Vagrant가 읽는 VBOX_MSI_INSTALL_PATH를 설정합니다).',
      vboxInstallAppleSilicon:
        'Apple Silicon용 VirtualBox 7.1 이상을 설치하세요: `brew install --cask virtualbox` (또는 https://www.virtualbox.org/wiki/Downloads의 "macOS / Apple Silicon hosts" 패키지).',
      vboxInstallMacIntel:
        'VirtualBox를 설치하세요: `brew install --cask virtualbox` (또는 https://www.virtualbox.org/wiki/Downloads의 "macOS / Intel hosts" 패키지).',
      vboxInstallLinux:
        'https://www.virtualbox.org/wiki/Linux_Downloads에서 VirtualBox 7.0-7.2를 설치하세요.',
      libvirtPresent: (configPath) =>
        `이 컴퓨터에는 libvirt와 vagrant-libvirt가 있습니다: 대신 쓰려면 ${configPath}에서 vagrant.provider: libvirt로 설정하세요.`,
      libvirtOr: (configPath) =>
        `또는 libvirt를 쓰세요: \`sudo apt-get install vagrant-libvirt libvirt-daemon-system\`을 실행하고 ${configPath}에서 vagrant.provider: libvirt로 설정하세요.`,
      simulated:
        'VM 없이 labkit을 써 보려면: `sudo npm run lab:up -- --provider simulated` (시뮬레이션 클러스터; README 참고).',
      vboxMissingWindows: (drive) =>
        `VirtualBox가 설치되어 있지 않습니다 (Vagrant가 찾는 곳인 PATH, VBOX_MSI_INSTALL_PATH, VBOX_INSTALL_PATH, ${drive}\\Program Files\\Oracle\\VirtualBox 어디에도 VBoxManage.exe가 없습니다)`,
      vboxMissing: 'VirtualBox가 설치되어 있지 않습니다 (PATH에서 VBoxManage를 찾을 수 없습니다)',
      foundThrough: (path, via) => `${path}, ${via}로 찾음`,
      vboxNotRunnable: (path) => `VirtualBox가 설치되어 있지 않습니다 (${path}을(를) 실행할 수 없습니다)`,
      vboxKernelModule: (where, line) =>
        `VirtualBox는 설치되어 있지만 커널 모듈이 로드되지 않았습니다 (${where}: "${line}")`,
      vboxKernelFix:
        '커널 모듈을 빌드하고 로드하세요: `sudo /sbin/vboxconfig` (Secure Boot를 쓰면 요청하는 키를 등록하고 재부팅하세요). 그런 다음 npm run lab:up을 다시 실행하세요.',
      vboxIncomplete: (path, text) =>
        `VirtualBox 설치가 완전하지 않습니다 (\`${path} --version\`의 출력: "${text}")`,
      vboxAppleSilicon: (version) =>
        `Apple Silicon의 VirtualBox ${version}: VirtualBox는 7.1부터 Apple Silicon에서 VM을 실행합니다 (7.0의 arm64 빌드는 개발자 프리뷰였습니다)`,
      pairUpdateFix: (needs, command) =>
        `Vagrant를 ${needs} 이상으로 업데이트하고(${command}) 새 터미널을 여세요. 또는 사용 중인 Vagrant가 지원하는 VirtualBox를 설치하세요 (README, Requirements).`,
      pairFix: 'VirtualBox 7.0~7.2와 Vagrant 2.4.9 이상을 함께 쓰세요 (README, Requirements).',
      libvirtNotLinux: (os) => `vagrant.provider: libvirt는 Linux 호스트용입니다. 이 컴퓨터는 ${os}입니다`,
      useVirtualBoxFix: (configPath, install) =>
        `${configPath}에서 vagrant.provider: virtualbox로 설정하세요. ${install}`,
      libvirtPluginMissing: 'vagrant-libvirt 플러그인이 설치되어 있지 않습니다',
      libvirtPluginFix: (simulated) =>
        `설치하세요: \`vagrant plugin install vagrant-libvirt\` (Debian/Ubuntu: \`sudo apt-get install vagrant-libvirt\`). ${simulated}`,
      libvirtMissing: 'libvirt가 설치되어 있지 않거나 실행 중이 아닙니다 (`virsh --version` 실패)',
      libvirtMissingFix: (simulated) =>
        `libvirt를 설치하고(\`sudo apt-get install libvirt-daemon-system qemu-system-x86\`) 자신을 libvirt 그룹에 추가한 뒤 다시 로그인하세요. ${simulated}`,
      memory: (needed, total, reserve) =>
        `VM에 ${needed} MB가 필요합니다. 호스트 메모리는 ${total} MB입니다 (호스트용으로 ${reserve} MB 남김)`,
      memoryFix: (configPath) =>
        `${configPath}에서 nodes[].memoryMb를 줄이거나(컨트롤 플레인은 최소 1700 MB, 워커는 1024 MB로 동작합니다) 다른 프로그램이나 VM을 종료하세요.`,
      cpus: (total, largest, host) =>
        `VM이 vCPU ${total}개를 씁니다 (가장 큰 VM ${largest}개). 호스트 CPU는 ${host}개입니다`,
      cpusFix: (configPath) =>
        `VM에는 호스트 CPU 수보다 많은 vCPU를 줄 수 없습니다: ${configPath}에서 nodes[].cpus를 줄이세요.`,
      cpusShared: 'VM들이 CPU를 나눠 쓰므로 lab:up이 더 느릴 수 있습니다.',
      noRangeLimit: (cidr) => `${cidr} (Windows에는 범위 제한이 없습니다)`,
      vboxDefaultRange: (conf) => `VirtualBox 기본값 192.168.56.0/21 (${conf} 없음)`,
      rangeAllowed: (cidr, source) => `${cidr}: ${source}에서 허용됨`,
      anyRange: '허용 범위 없음',
      rangeRefused: (cidr, ranges, source) =>
        `VirtualBox가 호스트 전용 네트워크 ${cidr}을(를) 거부합니다: ${ranges} 범위 밖입니다 (${source})`,
      rangeFix: (cidr, configPath, conf) =>
        `${configPath}에서 network.nodeCidr 192.168.56.0/24(노드 IP는 192.168.56.x)를 쓰거나, 범위를 허용하세요: \`sudo mkdir -p /etc/vbox && echo '* ${cidr}' | sudo tee -a ${conf}\`.`,
    },
    disk: {
      noHome: 'Vagrant가 box와 VM을 어디에 두는지 알 수 없습니다 (HOME이나 USERPROFILE이 없습니다)',
      noHomeFix: '디스크에 20 GB 정도 여유 공간이 있는지 확인하세요.',
      unreadable: (path) => `${path}의 여유 공간을 읽을 수 없습니다`,
      makeSureFix: (size) => `디스크에 ${size} 정도 여유 공간이 있는지 확인하세요.`,
      boxDownloaded: (box, version) => `box ${box} ${version}은(는) 이미 받음`,
      box: (size) => `box ${size}`,
      vmsCreated: '모든 VM이 이미 생성됨',
      newVms: (n, size) => `새 VM ${n}개 ${size}`,
      snapshot: (size) => `스냅샷 메모리 ${size}`,
      both: (a, b) => `${a}, ${b}`,
      freeFor: (size, where) => `${where}에 ${size}`,
      detail: (parts, free) => `${parts}; 여유 공간: ${free}`,
      enough: (size, detail) => `lab:up에 ${size}가 필요합니다 (${detail})`,
      shortOf: (where, _many, need, free) => `${where}: ${need} 필요, 여유 공간 ${free}`,
      notEnough: (shortages, parts) => `디스크 여유 공간이 부족합니다: ${shortages} (${parts})`,
      fix: (free, configPath, virtualbox) =>
        [
          `${free}를 확보하세요 (오래된 box: \`vagrant box list\`, \`vagrant box prune\`).`,
          configPath !== undefined
            ? `또는 ${configPath}에서 snapshot.enabled: false로 설정하세요 (그러면 lab:reset을 쓸 수 없습니다).`
            : '',
          virtualbox
            ? '또는 VirtualBox의 머신 폴더를 더 큰 디스크로 옮기세요 (`VBoxManage setproperty machinefolder <folder>`).'
            : '',
        ]
          .filter(Boolean)
          .join(' '),
      and: ', ',
    },
    pair: {
      pair: (vagrant, vbox) => `Vagrant ${vagrant}와 VirtualBox ${vbox}`,
      unknownNewer: (pair, newest, vbox) =>
        `${pair}: labkit은 VirtualBox ${newest}까지의 Vagrant 지원 여부만 압니다. VirtualBox ${vbox}에는 지금보다 새 Vagrant가 필요할 수 있습니다`,
      tooOld: (pair, vbox, newest) =>
        `${pair}: VirtualBox ${vbox}은(는) labkit이 지원하는 버전(7.0~${newest})보다 오래되었습니다`,
      macPrivateNetwork: '; 2.3.3에서 macOS의 VirtualBox 7 사설 네트워크 문제가 고쳐졌습니다',
      unsupported: (pair, vbox, needs, why) =>
        `${pair}: 이 Vagrant는 VirtualBox ${vbox}을(를) 지원하지 않습니다 (Vagrant ${needs} 이상이 필요합니다${why})`,
      oldVbox: (pair, vbox, newest) =>
        `${pair}: VirtualBox ${vbox}은(는) 이 Vagrant와 동작하지만 labkit은 VirtualBox 7.0~${newest}용으로 만들어졌습니다`,
      supported: (pair, vbox, needs) =>
        `${pair}: 지원됨 (VirtualBox ${vbox}에는 Vagrant ${needs} 이상이 필요합니다)`,
    },
    controlPlane: {
      none: '컨트롤 플레인 노드가 없습니다',
      size: (node, cpus, memoryMb) => `${node}: CPU ${cpus}개, 메모리 ${memoryMb} MB`,
      enough: (size) => `${size} (kubeadm에는 CPU 2개, 1700 MB가 필요합니다)`,
      need: (cpus, memoryMb) =>
        `kubeadm의 사전 점검(preflight)은 컨트롤 플레인에 CPU ${cpus}개 이상, 메모리 ${memoryMb} MB 이상을 요구합니다`,
      and: ', ',
      warn: (size, need) => `${size}: 이번 실행에는 충분하지만(kubeadm 전에 멈춥니다) ${need}`,
      warnFix: (settings, configPath) =>
        `전체 lab:up을 실행하기 전에 ${configPath}에서 ${settings}(또는 그 이상)로 설정하세요.`,
      fail: (size, need) => `${size}; ${need}`,
      failFix: (settings, configPath) =>
        `${configPath}에서 ${settings}(또는 그 이상)로 설정하거나, \`npm run lab:up -- --until base\`로 kubeadm 전에 멈추세요.`,
    },
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
    errors: {
      noJoinCommand: (master) =>
        `${master}: \`kubeadm token create --print-join-command\`가 join 명령을 출력하지 않았습니다. 컨트롤 플레인이 실행 중인지 확인하세요: \`npm run lab:ssh -- ${master} -- sudo kubeadm token list\`.`,
      joinFailed: (node, exit, tail) =>
        `${node}: 클러스터 참여(join)에 실패했습니다 (exit ${exit}):\n${tail}\n해결: 위 출력을 확인한 뒤 \`npm run lab:up\`을 다시 실행하세요 (새 토큰으로 join을 다시 시도합니다).`,
      noServer: (master) =>
        `${master}: /etc/kubernetes/admin.conf에 server 주소가 없습니다. kubeadm init이 끝났는지 확인하세요.`,
      wrongServer: (master, server, expected, ip) =>
        `${master}: admin.conf가 ${expected}가 아닌 ${server}를 가리킵니다. kubeadm init이 --apiserver-advertise-address=${ip}를 쓰지 않았습니다. 컨트롤 플레인을 다시 만드세요 (\`vagrant destroy -f ${master}\` 후 \`npm run lab:up\`).`,
      statusFailed: (exit, lines, dir) =>
        `vagrant status 실패 (exit ${exit}): ${lines}\n해결: ${dir}에서 \`npx lab config check\`와 \`vagrant status\`를 실행해 문제를 확인하세요.`,
      timedOutMin: (minutes) => `${minutes}분 안에 끝나지 않음`,
      exit: (exit) => `종료 코드 ${exit}`,
      metallbFailed: (master, version, why, tail, config) =>
        `${master}: MetalLB ${version} 설치에 실패했습니다 (${why}):\n${tail}\n해결: 위 메시지를 확인한 뒤 \`npm run lab:up\`을 다시 실행하세요 (설치는 여러 번 실행해도 안전합니다). LoadBalancer 주소 없이 계속하려면 ${config}에서 metallb.enabled: false로 설정하세요.`,
      nodesHint:
        'NotReady 노드는 보통 CNI가 실행되지 않는 경우입니다: `kubectl -n kube-system get pods -o wide`로 그 노드의 calico-node를 확인하고, 그 노드에서 `journalctl -u kubelet`을 확인하세요.',
      calicoHint:
        'calico-node가 Ready가 아닙니다: `kubectl -n kube-system logs ds/calico-node`를 확인하세요. VirtualBox에서는 IP 자동 감지가 NAT 인터페이스를 고르는 것이 흔한 원인입니다 (labkit은 network.nodeCidr로 고정합니다).',
      corednsHint:
        'CoreDNS가 Ready가 아닙니다: CoreDNS는 파드 네트워크(Calico)를 기다립니다. 계속 재시작(crash-loop)하면 VM에서 노드의 DNS 리졸버(`resolvectl status`)를 확인하세요.',
      leaseHint:
        '리스(lease)를 갱신하지 않는 kubelet은 실행 중이 아닙니다: 그 노드에서 `systemctl status kubelet`과 `journalctl -u kubelet`을 확인하세요 (npm run lab:ssh -- <node>).',
      nodeAddresses: (problems) =>
        `노드 주소가 잘못되었습니다:\n${problems}\n해결: kubelet은 --node-ip로 실행되어야 합니다 (scripts/provision/common.sh가 /etc/default/kubelet에 설정합니다). 노드를 다시 프로비저닝하세요: \`vagrant provision NODE --provision-with common\` 후 \`sudo systemctl restart kubelet\`.`,
      dnsFailed: (exit, output, image) =>
        `파드에서 kubernetes.default.svc.cluster.local의 이름 풀이에 실패했습니다 (exit ${exit}):\n${output}\n해결: CoreDNS(\`kubectl -n kube-system logs deploy/coredns\`)를 확인하고, VM이 ${image} 이미지를 받을 수 있는지(레지스트리에 접근 가능한지) 확인하세요.`,
      theLab: '실습 환경',
      vagrantFailed: (command, culprits, exit, lines) =>
        `${culprits}에서 vagrant ${command} 실패 (exit ${exit}): ${lines}`,
      stoppedIn: (node, provisioner, step) =>
        `${node}이(가) 프로비저너 ${provisioner}${step ? `의 단계 ${step}` : ''}에서 멈췄습니다.`,
      notRunning: (nodes) => `실행 중이 아님: ${nodes}.`,
      fullLog: (path) => `전체 로그: ${path}`,
      vagrantFix: (command, culprit) =>
        `위 원인을 해결한 뒤 \`${command}\`을 다시 실행하세요 (이어서 진행합니다. 그 VM이 망가졌다면 먼저 \`vagrant destroy -f ${culprit}\`를 실행하세요).`,
    },
  },
  serviceTypes: {
    describe: {
      nodePortOpen:
        '서비스의 nodePort가 30000-32767 범위(또는 지정한 포트)이고, 클라이언트 파드, 노드의 셸, labkit을 실행하는 컴퓨터에서 모든 노드의 InternalIP:nodePort로 요청하면 엔드포인트 파드가 응답합니다.',
      loadBalancerIp:
        'MetalLB가 있으면 서비스의 EXTERNAL-IP가 주소 풀에서 할당되고 labkit을 실행하는 컴퓨터에서 응답합니다. metallb.enabled가 false이면 EXTERNAL-IP가 <pending>인 이유를 설명합니다.',
      externalName:
        'ExternalName 타입의 서비스에는 CLUSTER-IP와 엔드포인트가 없고, 파드에서 서비스 이름을 조회하면 externalName과 정확히 같은 CNAME이 나옵니다.',
      serviceShape:
        '서비스가 주어진 서비스와 효과가 같습니다: 타입, selector, 포트(port, targetPort, protocol, 지정한 nodePort). 이름은 비교하지 않습니다.',
    },
    none: '없음',
    noNodes: '노드 없음',
    noNodeIp: (nodes) =>
      `kubectl get nodes -o json에 노드 ${nodes}의 InternalIP가 없습니다: NodePort는 각 노드의 InternalIP로 접근합니다`,
    everyNodeIp: '모든 노드에 InternalIP가 있음',
    noSuchNode: (node, nodes) => `클러스터에 노드 ${node}가 없습니다(노드: ${nodes})`,
    notNodePortType: (service, type) =>
      `서비스 ${service}의 타입이 ${type}입니다: 노드에 포트를 개방하는 것은 NodePort와 LoadBalancer 타입뿐입니다(spec.type: NodePort로 설정하세요)`,
    typeNodePort: 'NodePort(또는 LoadBalancer) 타입',
    nodePortInRange: '30000-32767 범위의 nodePort',
    nodePortFixed: (port) => `지정한 nodePort ${port}`,
    noNodePort: (service, port) => `서비스 ${service}의 포트 ${port}에 nodePort가 없습니다`,
    outOfRange: (service, nodePort) =>
      `서비스 ${service}의 nodePort ${nodePort}가 NodePort 범위 30000-32767 밖에 있습니다`,
    wrongNodePort: (service, got, want) =>
      `서비스 ${service}의 nodePort가 ${got}입니다. 지정한 ${want}이어야 합니다: 매니페스트에 ports[].nodePort: ${want}를 설정하고 다시 적용하세요(적용하기 전까지 기존 서비스는 원래 포트를 유지합니다)`,
    nodePortExpected: (nodePort, ips) => `모든 노드(${ips})의 ${nodePort} 포트에서 엔드포인트 파드가 응답함`,
    notTried: '시도하지 않음',
    source: (from, nodeShell) =>
      from === 'pod' ? '클라이언트 파드' : from === 'node' ? `${nodeShell}의 셸` : 'labkit 호스트',
    onlyPodNodes: (service, nodePort, silent, podNodes) =>
      `서비스 ${service}의 nodePort ${nodePort}가 파드가 실행 중인 노드(${podNodes})에서만 응답하고 ${silent}에서는 응답하지 않습니다: NodePort는 클러스터의 모든 노드에 동일하게 개방되어야 합니다(externalTrafficPolicy Local인가요? ${silent}에서 kube-proxy가 실행 중인가요?)`,
    nodePortSilent: (url, node, source, n, total) =>
      `${source}에서 ${url}(노드 ${node})로 요청했지만 응답이 없습니다(${total}번 중 ${n}번 무응답): ${node}에서 kube-proxy가 실행 중인가요? 노드에 방화벽이 있나요?`,
    nodePortStranger: (url, pod, service) =>
      `${url}에 ${pod}가 응답했지만 서비스 ${service}의 엔드포인트가 아닙니다: 같은 포트를 쓰는 다른 서비스가 있나요?`,
    nodePortPassed: (service, nodePort, nodes, skipped) =>
      `서비스 ${service}가 노드 ${nodes}개 모두의 nodePort ${nodePort}에서 응답했습니다${skipped ? '(호스트에서 보내는 요청은 여기서 쓸 수 없었습니다)' : ''}`,
    notLoadBalancer: (service, type) =>
      `서비스 ${service}의 타입이 ${type}입니다. LoadBalancer여야 합니다(spec.type: LoadBalancer로 설정하세요)`,
    typeLoadBalancer: 'LoadBalancer 타입',
    pendingExpected:
      'EXTERNAL-IP <pending>(metallb.enabled: false이므로 LoadBalancer 주소를 제공하는 것이 없음)',
    pendingExplained: (service, nodePort) =>
      `서비스 ${service}의 EXTERNAL-IP가 <pending>입니다. 이 실습 환경에서는 예상된 결과입니다: LoadBalancer 타입의 서비스는 주소를 제공하는 로드 밸런서(AWS, GCP 등 클라우드 플랫폼의 로드 밸런서, 베어메탈에서는 MetalLB)가 있어야 하는데 이 실습에는 없습니다(lab.config.yaml metallb.enabled: false. true로 바꾸고 lab:up을 실행하면 생깁니다). NodePort 타입과 마찬가지로 모든 노드의 ${nodePort} 포트로는 접근할 수 있습니다`,
    addressWithoutMetallb: (service, ip) =>
      `metallb.enabled가 false인데 서비스 ${service}에 EXTERNAL-IP ${ip}가 있습니다: 다른 로드 밸런서가 주소를 제공했습니다`,
    pending: (service) =>
      `서비스 ${service}에 EXTERNAL-IP가 없습니다(<pending>): 주소를 제공한 로드 밸런서가 없습니다. MetalLB가 실행 중인가요(kubectl -n metallb-system get pods)? IPAddressPool과 L2Advertisement가 있나요? 주소 풀을 모두 썼나요?`,
    aPool: 'MetalLB 주소 풀',
    addressExpected: (pool) => `${pool}에서 할당된 EXTERNAL-IP`,
    outsidePool: (service, ip, pool) =>
      `서비스 ${service}의 EXTERNAL-IP ${ip}가 MetalLB 주소 풀 ${pool} 밖에 있습니다: spec.loadBalancerIP를 지정했거나 다른 로드 밸런서가 있나요?`,
    poolUnknown: 'labkit이 모르는 주소 풀',
    lbExpected: (url, pool) => `${url}(${pool}의 주소)가 labkit 호스트에서 응답함`,
    lbSilent: (url, why) =>
      `labkit 호스트에서 ${url}로 요청했지만 응답이 없습니다(${why}): 그 주소에 대해 ARP에 응답하는 노드가 있나요(MetalLB speaker 파드가 Running인지, 주소 풀에 대한 L2Advertisement가 있는지)?`,
    lbAssigned: (service, ip, pool, answered) =>
      `서비스 ${service}에 ${pool}에서 할당된 EXTERNAL-IP ${ip}가 있습니다${answered ? '. labkit 호스트에서 응답합니다' : ''}`,
    cnameExpected: (service, target) =>
      `ExternalName 타입, CLUSTER-IP 없음, 엔드포인트 없음. ${service}를 조회하면 ${target}에 대한 CNAME이 나옴`,
    notExternalName: (service, type) =>
      `서비스 ${service}의 타입이 ${type}입니다. ExternalName이어야 합니다(spec.type: ExternalName, spec.externalName: ...)`,
    wrongExternalName: (service, got, want) =>
      `서비스 ${service}의 externalName이 ${got}입니다. ${want}이어야 합니다`,
    hasClusterIp: (service, ip) =>
      `서비스 ${service}에 CLUSTER-IP ${ip}가 있습니다: ExternalName 타입의 서비스에는 없어야 합니다`,
    hasEndpoints: (service, ips) =>
      `서비스 ${service}에 엔드포인트(${ips})가 있습니다: ExternalName 타입의 서비스에는 selector도 엔드포인트도 없습니다`,
    noCname: (fqdn, client) =>
      `파드 ${client}에서 nslookup ${fqdn}을 실행했지만 CNAME이 나오지 않습니다: 클러스터 DNS(CoreDNS)가 ExternalName 서비스에 응답하나요?`,
    wrongCname: (fqdn, got, want) => `${fqdn}이 ${got}에 대한 CNAME입니다. ${want}이어야 합니다`,
    cnamePassed: (fqdn, target) =>
      `${fqdn}이 ${target}에 대한 CNAME입니다. CLUSTER-IP와 엔드포인트는 없습니다`,
    diffType: (got, want) => `타입이 ${got}입니다. ${want}이어야 합니다(kubectl expose --type=${want})`,
    diffSelector: (got, want) => `selector가 ${got}입니다. ${want}이어야 합니다`,
    diffMissingPort: (port) => `포트 ${port}가 없습니다(kubectl expose --port)`,
    diffTargetPort: (port, got, want) =>
      `포트 ${port}의 targetPort가 ${got}입니다. ${want}이어야 합니다(kubectl expose --target-port=${want})`,
    diffNodePort: (port, got, want) => `포트 ${port}의 nodePort가 ${got}입니다. ${want}이어야 합니다`,
    diffExtraPort: (port) => `필요 없는 포트 ${port}가 있습니다`,
    shapeDiffers: (service, diffs) =>
      `서비스 ${service}가 매니페스트로 생성한 서비스와 효과가 같지 않습니다: ${diffs}`,
    shapeEqual: (service, shape) =>
      `서비스 ${service}가 매니페스트로 생성한 서비스와 효과가 같습니다: ${shape}`,
  },
};
