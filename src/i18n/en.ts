// English: the default, and the shape every other language must fill (src/i18n/catalog.ts types `ko` with it).
// Functions take the values a message names, so no caller builds a sentence around a translated fragment.
import type { PhaseName } from '../up/context.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const en = {
  status: { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', error: 'ERROR' },
  run: {
    labStart: (lab: string, mode: string, target: string, steps: number) =>
      `lab ${lab}: ${mode} on ${target} (${plural(steps, 'step')})`,
    labStartShort: (lab: string, mode: string, target: string) => `lab ${lab}: ${mode} on ${target}`,
    attempts: (n: number) => `${n} attempts, `,
    retrying: (check: string, attempt: number, actual: string) =>
      `${check}: retrying (${attempt}): ${actual}`,
    skipped: (step: string) => `${step}: skipped`,
    /** Labels of a failure's lines, each padded to one column by the renderer. */
    command: 'command:',
    expected: 'expected:',
    actual: 'actual:',
    hint: 'hint:',
    diagnose: 'diagnose:',
    cleanupFailed: (label: string, message: string) => `cleanup ${label} failed: ${message}`,
    summaryHead: { step: 'step', title: 'title', status: 'status', points: 'points', time: 'time' },
    summaryTotal: (
      lab: string,
      target: string,
      points: string,
      passed: number,
      steps: number,
      time: string,
      interrupted: boolean,
    ) =>
      `${lab} on ${target}: ${points} points, ${passed}/${steps} steps passed in ${time}${interrupted ? ' (interrupted)' : ''}`,
  },
  /** What each built-in check asserts, for `lab explain` (src/checks/*.ts). */
  checkDescription: {
    podsAnswerByIp:
      'Every Ready pod of the selector answers on its pod IP from a client pod, and its page names that pod.',
    serviceReachable:
      'The service answers by ClusterIP:port and by DNS name (short, name.namespace, FQDN) from a client pod.',
    serviceSpread:
      'Requests to the service reach every ready endpoint and nothing else; counts fit a uniform spread (chi-squared) or, with mode rr, rotate strictly.',
    endpointReplaced:
      'After a pod is deleted, its name never answers through the service again and its replacement does.',
    serviceEnv:
      'A pod created after the service has its <NAME>_SERVICE_* and <NAME>_PORT_* variables with the right values; a pod created before it has none.',
    sessionAffinity:
      'With sessionAffinity ClientIP, each client pod reaches exactly one backend over all its requests.',
  },
  /** A step's and a check's one-line verdicts (src/lab/step-runner.ts, poll-check.ts, runner.ts). */
  step: {
    passed: (checks: number) => `${plural(checks, 'check')} passed`,
    /** `check` names the built-in check when the title is another text (undefined for a command check). */
    checkFailed: (n: number, of: number, title: string, check: string | undefined, message: string) =>
      `check ${n} of ${of} "${title}"${check && check !== title ? ` (${check})` : ''}: ${message}`,
    checkNotRun: 'not run: an earlier check of this step failed',
    phaseCommand: (phase: string, title: string | undefined) =>
      `${phase} command${title ? ` "${title}"` : ''}`,
    commandFailed: (what: string, expected: string, actual: string) =>
      `${what} failed: expected ${expected}, got ${actual}`,
    stoppedAtDeadline: 'stopped at the step deadline',
    interrupted: 'interrupted (Ctrl-C); cleanup ran',
    diagnosticNotRun: (why: string) => `not run: ${why}`,
    absent: (message: string) => `not found: apply the step's manifest first (${message})`,
    settled: (message: string) =>
      `${message} (settled, nothing converging: checked once; --wait polls to the deadline)`,
    converging: (seconds: number, message: string) => `still converging after ${seconds} s: ${message}`,
    stillFailing: (message: string, attempts: number) =>
      `${message} (still failing after ${attempts} attempts)`,
    deadlineBeforeCheck: 'the step deadline passed before this check could run',
    oneAttempt: 'one attempt',
    none: 'none',
    notRun: {
      unreachable: 'not run: a lab host was unreachable',
      usage: 'not run: the run stopped on a usage problem',
      interrupted: 'not run: interrupted (Ctrl-C)',
    },
  },
  /** Failure explanations of the traffic checks (src/checks/service-spread.ts, session-affinity.ts, traffic.ts). */
  traffic: {
    spreadTitle: (requests: number, by: string, port: number, pods: number) =>
      `${requests} requests by ${by}:${port} over ${plural(pods, 'pod')}`,
    rotationExpected: (pods: number, requests: number) =>
      `${pods} endpoints answer in strict rotation over ${requests} requests`,
    spreadExpected: (pods: number, alpha: number) =>
      `${pods} endpoints each answer; counts fit a uniform spread (chi-squared, alpha ${alpha})`,
    noAnswer: ', no answer: ',
    unanswered: (n: number, requests: number, url: string, sample: string) =>
      `${n} of ${requests} requests to ${url} got no answer (e.g. ${sample}): are all endpoints serving on their target port?`,
    strangers: (pods: string, many: boolean, service: string, endpoints: string) =>
      `answers from ${pods}, which ${many ? 'are' : 'is'} not a ready endpoint of service ${service} (endpoints: ${endpoints}): stale kube-proxy rules?`,
    silent: (pods: string, requests: number, url: string) =>
      `pod ${pods} never answered in ${requests} requests to ${url}: is it Ready? is it an endpoint?`,
    notRotation: (at: number, got: string, expected: string) =>
      `request ${at} answered by ${got}, expected ${expected}: not round robin (is kube-proxy in IPVS mode with scheduler rr?)`,
    rotated: (pods: number, requests: number) =>
      `${pods} pods answered in strict rotation over ${requests} requests`,
    uneven: (actual: string, p: string, alpha: number) =>
      `answers are not spread evenly (${actual}; chi-squared p = ${p} < ${alpha}): is one pod favoured, e.g. by sessionAffinity or a second selector match?`,
    even: (pods: number, requests: number, p: string) =>
      `${pods} pods shared ${requests} requests evenly (chi-squared p = ${p})`,
    affinityExpected: (clients: number, requests: number) =>
      `each of ${clients} clients reaches exactly one pod over ${requests} requests`,
    affinityMissing: (service: string, affinity: string) =>
      `service ${service} has sessionAffinity ${affinity}, expected ClientIP: apply the manifest with sessionAffinity: ClientIP`,
    nothing: 'nothing',
    affinityUnanswered: (n: number, requests: number, client: string, sample: string) =>
      `affinity: ${n} of ${requests} requests from ${client} got no answer (e.g. ${sample})`,
    affinityStrangers: (client: string, pods: string, service: string) =>
      `affinity: client ${client} was answered by ${pods}, not an endpoint of service ${service}`,
    affinitySpread: (client: string, pods: number, counts: string) =>
      `affinity: client ${client} reached ${pods} pods (${counts}): sessionAffinity ClientIP not in effect`,
    affinityHeld: (pairs: string) => `each client stuck to one pod: ${pairs}`,
  },
  /** Failure explanations of the other built-in checks and of the reads they share (src/checks/*.ts). */
  checks: {
    noAnswer: 'no answer',
    unknown: 'unknown',
    podsByIp: {
      expected: (selector: string, minPods: number, port: number) =>
        `each Ready pod matching ${selector} (at least ${minPods}) answers on http://<pod IP>:${port} with its own name`,
      tooFew: (ready: number, selector: string, namespace: string, minPods: number, notReady: string) =>
        `${ready} Ready pod(s) match ${selector} in namespace ${namespace}, expected at least ${minPods}${notReady ? ` (not Ready: ${notReady})` : ''}: is the Deployment applied and its image pulled?`,
      readyOf: (ready: number, live: number) => `${ready} Ready of ${live}`,
      silent: (pod: string, ip: string, port: number, client: string, saw: string) =>
        `pod ${pod} (${ip}) never answered on port ${port}: is it Ready? is it serving on ${port}? (${client} saw: ${saw})`,
      wrongName: (ip: string, answeredAs: string, pod: string) =>
        `${ip} answered as ${answeredAs}, not ${pod}: is the pod IP reused, or is something else listening?`,
      passed: (pods: number) => `${pods} pods answered by IP with their own names`,
    },
    reachable: {
      expected: (urls: string, pods: string) => `${urls} each answered by an endpoint pod (${pods})`,
      clusterIpSilent: (url: string) =>
        `${url} did not answer: ClusterIP not routed (kube-proxy running? targetPort right?)`,
      dnsSilent: (url: string, host: string) =>
        `${url} did not answer: does ${host} resolve? (nslookup ${host} from a pod; is CoreDNS Ready?)`,
      stranger: (url: string, pod: string, service: string) =>
        `${url} was answered by ${pod}, which is not an endpoint of service ${service}`,
      passed: (service: string, kinds: string) => `service ${service} answered by ${kinds}`,
    },
    replaced: {
      theDeletedPod: 'the deleted pod',
      expected: (deleted: string, deployment: string, desired: number) =>
        `${deleted} never answers; deployment ${deployment} has ${desired}/${desired} ready pods and every endpoint answers`,
      notReady: (deployment: string, ready: number, desired: number) =>
        `deployment ${deployment} has ${ready}/${desired} ready pods: the replacement is not Ready yet`,
      readyCount: (ready: number, desired: number) => `${ready}/${desired} ready`,
      stillEndpoint: (pod: string, service: string) =>
        `deleted pod ${pod} is still an endpoint of service ${service}: was it deleted? is it still terminating?`,
      endpoints: (pods: string) => `endpoints: ${pods}`,
      stillAnswers: (pod: string, count: number, requests: number) =>
        `deleted pod ${pod} still answered ${count} of ${requests} requests: stale kube-proxy rules?`,
      strangers: (pods: string, service: string) =>
        `answers from ${pods}, not an endpoint of service ${service}: stale kube-proxy rules?`,
      unanswered: (n: number, requests: number, url: string, sample: string) =>
        `${n} of ${requests} requests to ${url} got no answer (e.g. ${sample})`,
      silent: (pods: string, requests: number) =>
        `pod ${pods} never answered in ${requests} requests: is it Ready? is it an endpoint?`,
      unknownPod: (memoryKey: string, deployment: string, desired: number, endpoints: number) =>
        `deleted pod name unknown (no deletedPod parameter, lab memory ${memoryKey} empty): checked that ${deployment} has ${desired}/${desired} ready pods and only its ${endpoints} endpoints answer`,
      passed: (pod: string, endpoints: number, pods: string) =>
        `${pod} is gone and never answered; ${endpoints} endpoints (${pods}) answer`,
    },
    env: {
      createdBefore: (pod: string, at: string, service: string, serviceAt: string) =>
        `pod ${pod} was created at ${at}, before service ${service} (${serviceAt}): it cannot have the service variables; create a new pod`,
      createdAfter: (at: string) => `a pod created after ${at}`,
      notBefore: (pod: string, at: string, service: string, serviceAt: string) =>
        `podBefore ${pod} was created at ${at}, not before service ${service} (${serviceAt})`,
      olderPod: 'a pod older than the service',
      expected: (pod: string, count: number, vars: string) =>
        `${pod} has ${count} variables (${vars}); pods older than the service have none`,
      unset: '(unset)',
      missing: (
        pod: string,
        missing: number,
        count: number,
        names: string,
        service: string,
        namespace: string,
      ) =>
        `pod ${pod} lacks ${missing} of ${count} service variables (${names}): was it created after service ${service}, in namespace ${namespace}? (enableServiceLinks false?)`,
      wrongValue: (name: string, value: string, expected: string) =>
        `${name}=${value} (expected ${expected})`,
      wrong: (pod: string, values: string) =>
        `pod ${pod} has wrong values: ${values}: was the service re-created after the pod started?`,
      leaked: (pod: string, service: string, names: string) =>
        `pod ${pod} was created before service ${service} but has ${names}: a pod only gets variables of services that existed when it started`,
      passed: (pod: string, count: number, prefix: string, older: number) =>
        `${pod} has all ${count} ${prefix}_* variables${older ? `; ${older} older pod(s) have none` : '; no pod older than the service to check for absence'}`,
    },
    target: {
      headless: 'headless',
      type: (type: string) => `type ${type}`,
      noClusterIp: (service: string, why: string) =>
        `service ${service} has no ClusterIP (${why}): the tutorial's service is type ClusterIP`,
      aClusterIp: 'a ClusterIP',
      none: 'none',
      noPort: (service: string, port: number, ports: string) =>
        `service ${service} has no port ${port} (ports: ${ports}): check the manifest or the check's port`,
      port: (port: number) => `port ${port}`,
      noPorts: 'no ports',
      noReady: (service: string, notReady: number, selector: string) =>
        `service ${service} has no ready endpoints${notReady ? ` (${notReady} not ready)` : ''}: do Ready pods match its selector ${selector || '(none)'}?`,
      oneReady: 'at least one ready endpoint',
      notReadyList: (list: string) => `not ready: ${list}`,
      noEndpoints: 'no endpoints',
      unnamed: (service: string, ips: string) =>
        `endpoints of service ${service} without a pod reference (${ips}): answers cannot be matched to pods`,
      podBacked: 'endpoints backed by pods (targetRef)',
    },
    read: {
      timedOut: (command: string, ms: number, host: string) =>
        `${command} timed out after ${ms} ms on ${host}: is the API server up?`,
      readable: (what: string) => `${what} readable`,
      timeout: 'timeout',
      notFound: (what: string, namespace: string) => `${what} not found in namespace ${namespace}`,
      failed: (command: string, host: string, exit: string, stderr: string) =>
        `${command} failed on ${host} (exit ${exit}): ${stderr}`,
      exists: (what: string) => `${what} exists`,
      exit: (exit: string) => `exit ${exit}`,
      notJson: (command: string, host: string) =>
        `${command} did not print JSON: is kubectl on ${host} working?`,
      badJson: (command: string, what: string, path: string, issue: string) =>
        `${command}: unexpected ${what} JSON at ${path}: ${issue}`,
      invalid: 'invalid',
      asApi: (what: string) => `${what} as the Kubernetes API returns it`,
    },
    client: {
      createFailed: (pod: string, namespace: string, stderr: string) =>
        `could not create client pod ${pod} in namespace ${namespace}: ${stderr}`,
      created: (pod: string, image: string) => `client pod ${pod} created (kubectl run --image=${image})`,
      ready: (pod: string) => `client pod ${pod} Ready`,
      notReadyShort: 'not Ready',
      notReady: (pod: string, seconds: number, phase: string, image: string, namespace: string) =>
        `client pod ${pod} not Ready after ${seconds} s (phase ${phase}): can the nodes pull ${image}? see kubectl describe pod ${pod} -n ${namespace}`,
      phase: (phase: string) => `phase ${phase}`,
      trafficTimeout: (pod: string, seconds: number) =>
        `traffic from pod ${pod} timed out after ${seconds} s: requests hang (no endpoint answering? kube-proxy rules?)`,
      answeredInTime: 'every request answered or refused within its timeout',
      execFailed: (pod: string, exit: string, stderr: string) =>
        `kubectl exec into pod ${pod} failed (exit ${exit}): ${stderr}`,
      shell: (pod: string) => `a shell in pod ${pod}`,
    },
  },
  /** A command check's matchers: what was expected and what failed (src/lab/matchers.ts). */
  match: {
    contains: (stream: string, text: string) => `${stream} contains ${text}`,
    lacks: (stream: string, text: string) => `${stream} does not contain ${text}`,
    matches: (stream: string, re: string) => `${stream} matches ${re}`,
    noMatch: (stream: string, re: string) => `${stream} does not match ${re}`,
    notJson: 'stdout is not JSON (did the command use -o json?)',
    missing: (path: string) => `${path} is missing`,
    differs: (path: string, value: string, expected: string) => `${path} is ${value}, expected ${expected}`,
    notList: (path: string, value: string) => `${path} is not a list (${value})`,
    lengthDiffers: (path: string, length: number, expected: number) =>
      `${path} has ${plural(length, 'item')}, expected ${expected}`,
    hasLength: (path: string, length: number) => `${path} has ${length} items`,
    exitCode: (code: number) => `exit code ${code}`,
    exitDiffers: (code: number, expected: number) => `exit code ${code}, expected ${expected}`,
    timedOut: (ms: number) => `timed out after ${ms} ms`,
    canceled: 'canceled',
    killed: (signal: string) => `killed by ${signal}`,
    asExpected: 'as expected',
  },
  explain: {
    stepHead: (index: number, title: string, id: string, points: number, timeout: string) =>
      `## ${index}. ${title}  (${id}, ${plural(points, 'point')}, timeout ${timeout})`,
    checks: 'Checks:',
    hint: 'Hint:',
    solveRuns: '`lab solve` runs:',
    hosts: (hosts: string, controlPlane: string, namespace: string) =>
      `Hosts: ${hosts}; kubectl on ${controlPlane}; namespace ${namespace}.`,
    listEntry: (title: string, steps: number, points: number) =>
      `${title} (${plural(steps, 'step')}, ${plural(points, 'point')})`,
  },
  /** lab grade: the terminal table, summary.md and report.html (column keys of CSV/JSON never change). */
  grade: {
    heading: (lab: string) => `${lab}: class grades`,
    labLine: (name: string, points: number, generated: string) =>
      `Lab ${name}, ${points} points; generated ${generated}.`,
    counts: (students: number, scored: number, statuses: string) =>
      `students: ${students}; scored: ${scored} (${statuses})`,
    meanMedian: (mean: string, median: string, max: number) =>
      `mean ${mean} / ${max}, median ${median} / ${max}`,
    failedMost: (step: string, failed: number, message: string) =>
      `failed most: ${step} (${failed}): ${message}`,
    students: 'Students',
    passRate: 'Pass rate per step',
    distribution: 'Score distribution',
    failures: 'Failures',
    noFailures: 'No failures.',
    mostFailed: 'Most failed steps',
    noStepFailed: 'No step failed.',
    needsLook: 'Needs a look',
    column: {
      student: 'student',
      name: 'name',
      contact: 'email / LMS id',
      status: 'status',
      step: 'step',
      points: 'points',
      passed: 'passed',
      passRate: 'pass rate',
      failed: 'failed',
      topFailure: 'most common failure (students)',
      reasons: 'reason / flags',
      total: 'total',
      flags: 'flags',
      notes: 'notes',
    },
    item: { command: 'command', expected: 'expected', actual: 'actual', hint: 'hint' },
    graded: (graded: number, students: number) => `${graded}/${students} students graded`,
  },
  /** lab:up preflight: the framing, and the Windows host findings (src/preflight/windows.ts). */
  preflight: {
    status: { pass: 'ok  ', warn: 'warn', fail: 'FAIL' },
    fix: 'fix:',
    found: (problems: number, ids: string) => `preflight found ${plural(problems, 'problem')}: ${ids}`,
    passed: (checks: number) => `${plural(checks, 'check')} passed`,
    warnings: (warnings: number, ids: string) =>
      `${plural(warnings, 'warning')} (${ids}, with its fix in the preflight output)`,
    virtUnread: (reason: string) =>
      `could not read the virtualization settings through PowerShell (${reason})`,
    virtUnreadFix:
      'Check Task Manager > Performance > CPU: "Virtualization" must say Enabled, and "Virtualization-based security" / Hyper-V should be off for full speed.',
    hypervisor: (causes: string) =>
      `a hypervisor is running (Win32_ComputerSystem.HypervisorPresent: True${causes ? `; on: ${causes}` : ''}): VirtualBox then runs the VMs through Hyper-V, several times slower, and kubeadm or image pulls can time out`,
    hypervisorFix: [
      'For full speed, switch off what turns the hypervisor on, then restart Windows:',
      'Memory integrity in Windows Security > Device security > Core isolation details;',
      'Hyper-V, Virtual Machine Platform (WSL2 needs it) and Windows Sandbox with `Disable-WindowsOptionalFeature -Online -FeatureName <name>` in an administrator PowerShell',
      '(or keep them installed and run `bcdedit /set hypervisorlaunchtype off`, as administrator; `bcdedit /set hypervisorlaunchtype auto` turns it back on).',
      'lab:up still works as it is, only slower.',
    ].join(' '),
    noVtx: (cpu: string) =>
      `this CPU (${cpu}) has no hardware virtualization (Win32_Processor.VMMonitorModeExtensions: False): VirtualBox cannot start 64-bit VMs on it`,
    noVtxFix:
      'No VM provider can work on this computer: use another one for the lab (see README, "On Windows").',
    vtxOff:
      'hardware virtualization is switched off in the firmware (Win32_Processor.VirtualizationFirmwareEnabled: False): VirtualBox cannot start 64-bit VMs until it is on',
    vtxOffFix:
      'Restart into the UEFI/BIOS setup (Settings > System > Recovery > Advanced startup > Restart now > Troubleshoot > Advanced options > UEFI Firmware Settings), enable Intel Virtualization Technology (VT-x) or SVM Mode (AMD-V), save, and run `npm run lab:up` again.',
    virtOk: (cpu: string) => `hardware virtualization on, no hypervisor in the way${cpu ? ` (${cpu})` : ''}`,
    vagrantHomeSet: (path: string) => `VAGRANT_HOME ${path}`,
    vagrantHomeProfile: (path: string) =>
      `Vagrant's home ${path} (VAGRANT_HOME is not set, so it is in your user profile)`,
    vagrantHomeBad: (where: string, chars: string) =>
      `${where} has characters Vagrant on Windows cannot handle (${chars}): every vagrant command then fails with an encoding error (hashicorp/vagrant#11431, #2465)`,
    vagrantHomeFix:
      'Give Vagrant a folder with an ASCII-only path, then open a new PowerShell window and run npm run lab:up again: `setx VAGRANT_HOME C:\\vagrant.d`',
    asciiOk: (where: string) => `${where}: ASCII-only path`,
    projectBad: (path: string, chars: string) =>
      `the project folder ${path} has characters Vagrant on Windows cannot handle (${chars}): Vagrant keeps each VM's state and SSH key under it and breaks on such paths (hashicorp/vagrant#8276, #11431)`,
    projectFix:
      'Move the labkit folder to a path of ASCII letters, digits, spaces, - and _ only (for example C:\\labs\\labkit), open PowerShell there and run npm run lab:up again.',
    projectOk: (path: string) => `project folder ${path}: ASCII-only path`,
    vmFolderBad: (path: string, chars: string) =>
      `VirtualBox's default machine folder ${path} has non-ASCII characters (${chars}): importing the box into it has failed for others (hashicorp/vagrant#4966)`,
    vmFolderFix: (command: string) =>
      `Move VirtualBox's machine folder to an ASCII-only path: \`${command}\``,
    /** The findings on every host (src/preflight/checks.ts). */
    host: {
      projectOdd: (path: string, chars: string) =>
        `the project folder ${path} has non-ASCII characters (${chars}): older Vagrant releases failed on such paths (hashicorp/vagrant#8276)`,
      projectOddFix:
        'If vagrant reports an encoding error ("incompatible character encodings"), move the folder to an ASCII-only path.',
      vagrantExited: (code: number) => `exited ${code}`,
      vagrantNotOnPath: 'not found on PATH',
      vagrantMissing: (bin: string, how: string) => `Vagrant is not installed (\`${bin} --version\` ${how})`,
      vagrantInstallFix: (command: string) =>
        `Install Vagrant (2.4.9 or newer works with every VirtualBox labkit supports): ${command}, then open a new terminal.`,
      build: (box: string, arch: string) => `${box}, ${arch} build`,
      boxUnknownArch: (box: string, why: string) =>
        `${box}: unknown host architecture (${why}); Vagrant picks the box build itself`,
      boxPinFix: 'Pin it with vagrant.boxArchitecture: amd64 or arm64.',
      boxAuto: (host: string) => `vagrant.boxArchitecture is auto and ${host}`,
      boxConfigured: (configured: string, host: string) =>
        `vagrant.boxArchitecture: ${configured} in the config (${host})`,
      boxWrongArch: (build: string, arch: string, host: string) =>
        `${build}: VirtualBox runs only ${arch} guests on this host (${host})`,
      boxAutoFix: 'Set vagrant.boxArchitecture: auto (or remove it) in the config.',
      boxOldVagrant: (build: string, version: string, needed: string) =>
        `${build}: Vagrant ${version} cannot choose a box build by architecture (Vagrant ${needed} added it) and would fetch the amd64 one`,
      vagrantUpdateFix: (command: string) => `Update Vagrant to 2.4.9 or newer: ${command}.`,
      boxArm64Unknown: (build: string, why: string, provider: string) =>
        `${build} (${why}): labkit cannot tell whether this box has an arm64 build for ${provider} (bento boxes do)`,
      boxArm64Fix:
        'If `vagrant up` says the box does not support the provider, set vagrant.box to an arm64 box such as bento/ubuntu-22.04.',
      boxOk: (build: string, why: string) => `${build}: ${why}`,
      vboxInstallWindows:
        'Install VirtualBox: `winget install Oracle.VirtualBox` (or https://www.virtualbox.org/wiki/Downloads), then open a new PowerShell window (the installer sets VBOX_MSI_INSTALL_PATH, which Vagrant reads).',
      vboxInstallAppleSilicon:
        'Install VirtualBox 7.1 or newer for Apple Silicon: `brew install --cask virtualbox` (or the "macOS / Apple Silicon hosts" package from https://www.virtualbox.org/wiki/Downloads).',
      vboxInstallMacIntel:
        'Install VirtualBox: `brew install --cask virtualbox` (or the "macOS / Intel hosts" package from https://www.virtualbox.org/wiki/Downloads).',
      vboxInstallLinux: 'Install VirtualBox 7.0-7.2 from https://www.virtualbox.org/wiki/Linux_Downloads.',
      libvirtPresent: (configPath: string) =>
        `This machine has libvirt and vagrant-libvirt: set vagrant.provider: libvirt in ${configPath} to use them instead.`,
      libvirtOr: (configPath: string) =>
        `Or use libvirt: \`sudo apt-get install vagrant-libvirt libvirt-daemon-system\` and set vagrant.provider: libvirt in ${configPath}.`,
      simulated:
        'To try labkit without any VM: `sudo npm run lab:up -- --provider simulated` (a simulated cluster; see README).',
      vboxMissingWindows: (drive: string) =>
        `VirtualBox is not installed (no VBoxManage.exe on PATH, in VBOX_MSI_INSTALL_PATH or VBOX_INSTALL_PATH, or in ${drive}\\Program Files\\Oracle\\VirtualBox: where Vagrant looks)`,
      vboxMissing: 'VirtualBox is not installed (VBoxManage not found on PATH)',
      foundThrough: (path: string, via: string) => `${path}, found through ${via}`,
      vboxNotRunnable: (path: string) => `VirtualBox is not installed (${path} could not be run)`,
      vboxKernelModule: (where: string, line: string) =>
        `VirtualBox is installed but its kernel module is not loaded (${where}: "${line}")`,
      vboxKernelFix:
        'Build and load it: `sudo /sbin/vboxconfig` (with Secure Boot, enrol the key it asks for and reboot), then run npm run lab:up again.',
      vboxIncomplete: (path: string, text: string) =>
        `VirtualBox's installation is incomplete (\`${path} --version\` printed "${text}")`,
      vboxAppleSilicon: (version: string) =>
        `VirtualBox ${version} on Apple Silicon: VirtualBox runs VMs there from 7.1 (7.0's arm64 build was a developer preview)`,
      pairUpdateFix: (needs: string, command: string) =>
        `Update Vagrant to ${needs} or newer: ${command}, then open a new terminal; or install a VirtualBox your Vagrant supports (README, Requirements).`,
      pairFix: 'Use VirtualBox 7.0 to 7.2 with Vagrant 2.4.9 or newer (README, Requirements).',
      libvirtNotLinux: (os: string) => `vagrant.provider: libvirt is for Linux hosts; this is ${os}`,
      useVirtualBoxFix: (configPath: string, install: string) =>
        `Set vagrant.provider: virtualbox in ${configPath}. ${install}`,
      libvirtPluginMissing: 'the vagrant-libvirt plugin is not installed',
      libvirtPluginFix: (simulated: string) =>
        `Install it: \`vagrant plugin install vagrant-libvirt\` (Debian/Ubuntu: \`sudo apt-get install vagrant-libvirt\`). ${simulated}`,
      libvirtMissing: 'libvirt is not installed or not running (`virsh --version` failed)',
      libvirtMissingFix: (simulated: string) =>
        `Install libvirt (\`sudo apt-get install libvirt-daemon-system qemu-system-x86\`), add yourself to the libvirt group, and log in again. ${simulated}`,
      memory: (needed: number, total: number, reserve: number) =>
        `VMs need ${needed} MB; host has ${total} MB (${reserve} MB kept for the host)`,
      memoryFix: (configPath: string) =>
        `Lower nodes[].memoryMb in ${configPath} (the control plane needs at least 1700 MB; workers run with 1024 MB), or close other programs/VMs.`,
      cpus: (total: number, largest: number, host: number) =>
        `VMs use ${total} vCPUs (largest ${largest}); host has ${host}`,
      cpusFix: (configPath: string) =>
        `A VM cannot have more vCPUs than the host has CPUs: lower nodes[].cpus in ${configPath}.`,
      cpusShared: 'The VMs share CPUs; expect a slower lab:up.',
      noRangeLimit: (cidr: string) => `${cidr} (no range limit on Windows)`,
      vboxDefaultRange: (conf: string) => `VirtualBox's default 192.168.56.0/21 (no ${conf})`,
      rangeAllowed: (cidr: string, source: string) => `${cidr} is allowed by ${source}`,
      anyRange: 'any range',
      rangeRefused: (cidr: string, ranges: string, source: string) =>
        `VirtualBox will refuse the host-only network ${cidr}: not within ${ranges} (${source})`,
      rangeFix: (cidr: string, configPath: string, conf: string) =>
        `Use network.nodeCidr 192.168.56.0/24 (and node IPs 192.168.56.x) in ${configPath}, or allow the range: \`sudo mkdir -p /etc/vbox && echo '* ${cidr}' | sudo tee -a ${conf}\`.`,
    },
    /** Free disk space (src/preflight/disk.ts). */
    disk: {
      noHome: 'could not tell where Vagrant keeps boxes and VMs (no HOME or USERPROFILE)',
      noHomeFix: 'Make sure about 20 GB are free.',
      unreadable: (path: string) => `could not read the free space of ${path}`,
      makeSureFix: (size: string) => `Make sure about ${size} are free.`,
      boxDownloaded: (box: string, version: string) => `box ${box} ${version} already downloaded`,
      box: (size: string) => `box ${size}`,
      vmsCreated: 'all VMs already created',
      newVms: (n: number, size: string) => `${n} new VM${n > 1 ? 's' : ''} ${size}`,
      snapshot: (size: string) => `snapshot memory ${size}`,
      both: (a: string, b: string) => `${a} and ${b}`,
      freeFor: (size: string, where: string) => `${size} for ${where}`,
      detail: (parts: string, free: string) => `${parts}; free: ${free}`,
      enough: (size: string, detail: string) => `lab:up needs ${size} (${detail})`,
      shortOf: (where: string, many: boolean, need: string, free: string) =>
        `${where} ${many ? 'need' : 'needs'} ${need}, ${free} free`,
      notEnough: (shortages: string, parts: string) => `not enough free disk space: ${shortages} (${parts})`,
      fix: (free: string, configPath: string | undefined, virtualbox: boolean) =>
        [
          `Free ${free} (old boxes: \`vagrant box list\`, \`vagrant box prune\`)`,
          configPath !== undefined
            ? `or set snapshot.enabled: false in ${configPath} (no lab:reset then)`
            : '',
          virtualbox
            ? "or move VirtualBox's machine folder to a larger disk (`VBoxManage setproperty machinefolder <folder>`)"
            : '',
        ]
          .filter(Boolean)
          .join(', ')
          .concat('.'),
      and: ' and ',
    },
    /** Vagrant and VirtualBox versions together (src/preflight/virtualbox.ts). */
    pair: {
      pair: (vagrant: string, vbox: string) => `Vagrant ${vagrant} with VirtualBox ${vbox}`,
      unknownNewer: (pair: string, newest: string, vbox: string) =>
        `${pair}: labkit knows Vagrant's support up to VirtualBox ${newest}; VirtualBox ${vbox} may need a newer Vagrant than yours`,
      tooOld: (pair: string, vbox: string, newest: string) =>
        `${pair}: VirtualBox ${vbox} is older than labkit supports (7.0 to ${newest})`,
      macPrivateNetwork: ': 2.3.3 fixed the private network for VirtualBox 7 on macOS',
      unsupported: (pair: string, vbox: string, needs: string, why: string) =>
        `${pair}: this Vagrant does not support VirtualBox ${vbox} (Vagrant ${needs} or newer does${why})`,
      oldVbox: (pair: string, vbox: string, newest: string) =>
        `${pair}: VirtualBox ${vbox} works with this Vagrant, but labkit is built for VirtualBox 7.0 to ${newest}`,
      supported: (pair: string, vbox: string, needs: string) =>
        `${pair}: supported (VirtualBox ${vbox} needs Vagrant ${needs} or newer)`,
    },
    /** kubeadm's minimum control plane (src/preflight/control-plane-size.ts). */
    controlPlane: {
      none: 'no control-plane node',
      size: (node: string, cpus: number, memoryMb: number) =>
        `${node} has ${cpus} CPU${cpus === 1 ? '' : 's'} and ${memoryMb} MB`,
      enough: (size: string) => `${size} (kubeadm needs 2 CPUs, 1700 MB)`,
      need: (cpus: number, memoryMb: number) =>
        `kubeadm's preflight needs at least ${cpus} CPUs and ${memoryMb} MB on the control plane`,
      and: ' and ',
      warn: (size: string, need: string) =>
        `${size}: enough for this run (it stops before kubeadm), but ${need}`,
      warnFix: (settings: string, configPath: string) =>
        `Before a full lab:up, set ${settings} (or more) in ${configPath}.`,
      fail: (size: string, need: string) => `${size}; ${need}`,
      failFix: (settings: string, configPath: string) =>
        `Set ${settings} (or more) in ${configPath}, or stop before kubeadm with \`npm run lab:up -- --until base\`.`,
    },
  },
  up: {
    phases: {
      preflight: 'Preflight: vagrant, provider, box, host RAM/CPU/disk, network range',
      base: 'Base OS on the VMs (swap, kernel modules, sysctl, hosts, kubelet node IP)',
      vms: 'VMs up (vagrant up: base OS, containerd, kubeadm, Calico)',
      join: 'Workers joined (fresh join token)',
      ready: 'Nodes, calico-node and CoreDNS Ready',
      metallb: 'MetalLB (LoadBalancer addresses on the node network)',
      kubeconfig: 'kubeconfig exported to .lab/kubeconfig',
      smoke: 'Smoke check: node IPs, DNS from a pod',
      snapshot: 'Snapshot of every VM (for npm run lab:reset)',
    } satisfies Record<PhaseName, string>,
    status: { done: 'done', skipped: 'skipped', failed: 'failed' },
    summary: (failed: boolean, time: string) => `lab:up ${failed ? 'FAILED' : 'done'} in ${time}`,
    /** Why a phase failed and what to do (PhaseError texts of src/up/*.ts). */
    errors: {
      noJoinCommand: (master: string) =>
        `${master}: \`kubeadm token create --print-join-command\` printed no join command. Is the control plane up? Check \`npm run lab:ssh -- ${master} -- sudo kubeadm token list\`.`,
      joinFailed: (node: string, exit: string, tail: string) =>
        `${node}: joining the cluster failed (exit ${exit}):\n${tail}\nFix: see the output above; then run \`npm run lab:up\` again (the join is retried with a fresh token).`,
      noServer: (master: string) =>
        `${master}: /etc/kubernetes/admin.conf has no server address; was kubeadm init completed?`,
      wrongServer: (master: string, server: string, expected: string, ip: string) =>
        `${master}: admin.conf points at ${server}, expected ${expected}; kubeadm init did not use --apiserver-advertise-address=${ip}. Re-create the control plane (\`vagrant destroy -f ${master}\`, then \`npm run lab:up\`).`,
      statusFailed: (exit: number, lines: string, dir: string) =>
        `vagrant status failed (exit ${exit}): ${lines}\nFix: run \`npx lab config check\` and \`vagrant status\` in ${dir} to see the problem.`,
      timedOutMin: (minutes: number) => `timed out after ${minutes} min`,
      exit: (exit: string) => `exit ${exit}`,
      metallbFailed: (master: string, version: string, why: string, tail: string, config: string) =>
        `${master}: installing MetalLB ${version} failed (${why}):\n${tail}\nFix: see the message above; then run \`npm run lab:up\` again (the install is idempotent). To go on without LoadBalancer addresses, set metallb.enabled: false in ${config}.`,
      nodesHint:
        'A NotReady node usually means its CNI is not running: check `kubectl -n kube-system get pods -o wide` for calico-node on that node, and `journalctl -u kubelet` on it.',
      calicoHint:
        'calico-node not Ready: check `kubectl -n kube-system logs ds/calico-node` — on VirtualBox the usual cause is IP autodetection picking the NAT interface (labkit pins it to network.nodeCidr).',
      corednsHint:
        'CoreDNS not Ready: it waits for the pod network (Calico). If it crash-loops, check the node DNS resolver (`resolvectl status`) on the VMs.',
      leaseHint:
        'A kubelet that does not renew its lease is not running: check `systemctl status kubelet` and `journalctl -u kubelet` on that node (npm run lab:ssh -- <node>).',
      nodeAddresses: (problems: string) =>
        `node addresses are wrong:\n${problems}\nFix: the kubelet must run with --node-ip (set by scripts/provision/common.sh in /etc/default/kubelet); re-provision the node: \`vagrant provision NODE --provision-with common\` then \`sudo systemctl restart kubelet\`.`,
      dnsFailed: (exit: string, output: string, image: string) =>
        `a pod could not resolve kubernetes.default.svc.cluster.local (exit ${exit}):\n${output}\nFix: check CoreDNS (\`kubectl -n kube-system logs deploy/coredns\`) and that the VMs can pull ${image} (registry reachable).`,
      theLab: 'the lab',
      vagrantFailed: (command: string, culprits: string, exit: number, lines: string) =>
        `vagrant ${command} failed on ${culprits} (exit ${exit}): ${lines}`,
      stoppedIn: (node: string, provisioner: string, step: string) =>
        `${node} stopped in provisioner ${provisioner}${step ? `, step ${step}` : ''}.`,
      notRunning: (nodes: string) => `Not running: ${nodes}.`,
      fullLog: (path: string) => `Full log: ${path}`,
      vagrantFix: (command: string, culprit: string) =>
        `Fix the cause above, then run \`${command}\` again (it resumes; \`vagrant destroy -f ${culprit}\` first if that VM is broken).`,
    },
  },
  /** Issue 15: NodePort, LoadBalancer, ExternalName and `kubectl expose` (src/checks/node-port.ts,
   *  load-balancer.ts, external-name.ts, service-shape.ts, nodes.ts). */
  serviceTypes: {
    describe: {
      nodePortOpen:
        "The Service's nodePort is in 30000-32767 (or the fixed one) and every node's InternalIP:nodePort answers with an endpoint pod's page, from a client pod, a node's shell and the machine running labkit.",
      loadBalancerIp:
        "With MetalLB, the Service's EXTERNAL-IP comes from the pool and answers from the machine running labkit; with metallb.enabled false, EXTERNAL-IP <pending> is explained.",
      externalName:
        'An ExternalName Service has no ClusterIP and no endpoints, and its name resolves from a pod as a CNAME to exactly the externalName.',
      serviceShape:
        'The Service is equal in effect to the given one: type, selector and ports (port, targetPort, protocol, a fixed nodePort); names are not compared.',
    },
    none: 'none',
    noNodes: 'no nodes',
    noNodeIp: (nodes: string) =>
      `no InternalIP for node(s) ${nodes} in kubectl get nodes -o json: a NodePort is reached on each node's InternalIP`,
    everyNodeIp: 'every node has an InternalIP',
    noSuchNode: (node: string, nodes: string) => `no node ${node} in the cluster (nodes: ${nodes})`,
    notNodePortType: (service: string, type: string) =>
      `service ${service} is type ${type}: only NodePort and LoadBalancer Services open a port on the nodes (set spec.type: NodePort)`,
    typeNodePort: 'type NodePort (or LoadBalancer)',
    nodePortInRange: 'a nodePort in 30000-32767',
    nodePortFixed: (port: number) => `nodePort ${port}`,
    noNodePort: (service: string, port: number) => `service ${service} port ${port} has no nodePort`,
    outOfRange: (service: string, nodePort: number) =>
      `service ${service} has nodePort ${nodePort}, outside the NodePort range 30000-32767`,
    wrongNodePort: (service: string, got: number, want: number) =>
      `service ${service} has nodePort ${got}, expected the fixed ${want}: set ports[].nodePort: ${want} in the manifest (an existing Service keeps its port until you apply it)`,
    nodePortExpected: (nodePort: number, ips: string) =>
      `port ${nodePort} answers on every node (${ips}) with an endpoint pod's page`,
    notTried: 'not tried',
    source: (from: 'pod' | 'node' | 'host', nodeShell: string) =>
      from === 'pod' ? 'client pod' : from === 'node' ? `${nodeShell}'s shell` : 'labkit host',
    onlyPodNodes: (service: string, nodePort: number, silent: string, podNodes: string) =>
      `service ${service}'s nodePort ${nodePort} answers only on the nodes running its pods (${podNodes}), not on ${silent}: a NodePort must be open on every node (externalTrafficPolicy Local? kube-proxy running on ${silent}?)`,
    nodePortSilent: (url: string, node: string, source: string, n: number, total: number) =>
      `${url} (node ${node}) did not answer from the ${source} (${n} of ${total} tries silent): is kube-proxy running on ${node}? a firewall on the node?`,
    nodePortStranger: (url: string, pod: string, service: string) =>
      `${url} was answered by ${pod}, which is not an endpoint of service ${service}: another Service on that port?`,
    nodePortPassed: (service: string, nodePort: number, nodes: number, skipped: boolean) =>
      `service ${service} answered on nodePort ${nodePort} of all ${nodes} nodes${skipped ? ' (the host-side request was not available here)' : ''}`,
    notLoadBalancer: (service: string, type: string) =>
      `service ${service} is type ${type}, expected LoadBalancer (set spec.type: LoadBalancer)`,
    typeLoadBalancer: 'type LoadBalancer',
    pendingExpected:
      'EXTERNAL-IP <pending> (metallb.enabled: false: nothing here gives LoadBalancer addresses)',
    pendingExplained: (service: string, nodePort: number) =>
      `service ${service} shows EXTERNAL-IP <pending>, as expected here: a LoadBalancer Service gets its address from a provider (a cloud platform's load balancer on AWS or GCP, or MetalLB on bare metal) and this lab has none (lab.config.yaml metallb.enabled: false; set it true and run lab:up to get one). It still works as a NodePort on every node, port ${nodePort}`,
    addressWithoutMetallb: (service: string, ip: string) =>
      `service ${service} has EXTERNAL-IP ${ip} although metallb.enabled is false: another provider gave it`,
    pending: (service: string) =>
      `service ${service} has no EXTERNAL-IP (<pending>): no load-balancer provider gave it one. Is MetalLB running (kubectl -n metallb-system get pods) with an IPAddressPool and an L2Advertisement? Is the pool used up?`,
    aPool: 'the MetalLB pool',
    addressExpected: (pool: string) => `an EXTERNAL-IP from ${pool}`,
    outsidePool: (service: string, ip: string, pool: string) =>
      `service ${service} has EXTERNAL-IP ${ip}, outside the MetalLB pool ${pool}: spec.loadBalancerIP or another provider?`,
    poolUnknown: 'a pool labkit does not know',
    lbExpected: (url: string, pool: string) =>
      `${url} (an address from ${pool}) answers from the labkit host`,
    lbSilent: (url: string, why: string) =>
      `${url} did not answer from the labkit host (${why}): does a node answer ARP for it (MetalLB speaker pods Running, an L2Advertisement for the pool)?`,
    lbAssigned: (service: string, ip: string, pool: string, answered: boolean) =>
      `service ${service} has EXTERNAL-IP ${ip} from ${pool}${answered ? ' and it answers from the labkit host' : ''}`,
    cnameExpected: (service: string, target: string) =>
      `type ExternalName, no ClusterIP, no endpoints; ${service} resolves as a CNAME to ${target}`,
    notExternalName: (service: string, type: string) =>
      `service ${service} is type ${type}, expected ExternalName (spec.type: ExternalName, spec.externalName: ...)`,
    wrongExternalName: (service: string, got: string, want: string) =>
      `service ${service} has externalName ${got}, expected ${want}`,
    hasClusterIp: (service: string, ip: string) =>
      `service ${service} has ClusterIP ${ip}: an ExternalName Service has none`,
    hasEndpoints: (service: string, ips: string) =>
      `service ${service} has endpoints (${ips}): an ExternalName Service has no selector and no endpoints`,
    noCname: (fqdn: string, client: string) =>
      `nslookup ${fqdn} from pod ${client} showed no CNAME: does the cluster DNS (CoreDNS) answer for ExternalName Services?`,
    wrongCname: (fqdn: string, got: string, want: string) => `${fqdn} is a CNAME to ${got}, expected ${want}`,
    cnamePassed: (fqdn: string, target: string) =>
      `${fqdn} is a CNAME to ${target}; no ClusterIP, no endpoints`,
    diffType: (got: string, want: string) => `type ${got}, expected ${want} (kubectl expose --type=${want})`,
    diffSelector: (got: string, want: string) => `selector ${got}, expected ${want}`,
    diffMissingPort: (port: string) => `no port ${port} (kubectl expose --port)`,
    diffTargetPort: (port: number, got: string, want: string) =>
      `port ${port} has targetPort ${got}, expected ${want} (kubectl expose --target-port=${want})`,
    diffNodePort: (port: number, got: string, want: number) =>
      `port ${port} has nodePort ${got}, expected ${want}`,
    diffExtraPort: (port: string) => `an extra port ${port}`,
    shapeDiffers: (service: string, diffs: string) =>
      `service ${service} is not equal in effect to the manifest's: ${diffs}`,
    shapeEqual: (service: string, shape: string) => `service ${service} is equal in effect: ${shape}`,
  },
};

/** The shape every language fills. */
export type Messages = typeof en;
