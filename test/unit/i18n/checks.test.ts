// The built-in checks explain a failure in Korean (message, expected, actual) while the `observed` keys a report
// carries stay the same in every language.
import { afterEach, expect, test } from 'vitest';
import { endpointReplaced } from '../../../src/checks/endpoint-replaced.ts';
import { podsAnswerByIp } from '../../../src/checks/pods-answer-by-ip.ts';
import { serviceEnv } from '../../../src/checks/service-env.ts';
import { serviceReachable } from '../../../src/checks/service-reachable.ts';
import { setLanguage } from '../../../src/i18n/index.ts';
import { fakeContext, fixtureText, NO_ANSWER, SEED_PODS, seedCluster } from '../checks/fake-cluster.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

afterEach(() => setLanguage('en'));

const [A, B, C] = SEED_PODS;
const answers = (list: readonly string[]) => (_c: string, i: number) => list[i] ?? NO_ANSWER;

// The checks' traffic scripts run in a real /bin/sh (fake-cluster.ts).
describeWithTools(['posix-sh'], 'built-in checks in Korean', () => {
  test('pods-answer-by-ip: too few Ready pods, in Korean with the selector and pod names as they are', async () => {
    setLanguage('ko');
    const cluster = seedCluster({ respond: answers(SEED_PODS) });
    cluster.pods[1].status.conditions = [{ type: 'Ready', status: 'False' }];
    const outcome = await podsAnswerByIp.run(
      fakeContext(cluster).ctx,
      podsAnswerByIp.params.parse({ minPods: 3 }),
    );
    expect(outcome).toMatchObject({
      ok: false,
      message:
        '네임스페이스 default에서 app=webserver에 맞는 Ready 파드가 2개입니다. 최소 3개가 필요합니다 (Ready가 아닌 파드: hostname-deployment-7d4f978855-pzkgc). 디플로이먼트를 적용했는지, 이미지를 받아 왔는지 확인하세요.',
      actual: '3개 중 2개 Ready',
      expected: 'app=webserver에 맞는 Ready 파드(최소 3개)가 모두 http://<파드 IP>:80에서 자기 이름으로 응답',
    });
  });

  test('service-reachable: a DNS name that does not answer, in Korean; observed keys unchanged', async () => {
    const run = (lang: 'en' | 'ko') => {
      setLanguage(lang);
      return serviceReachable.run(
        fakeContext(seedCluster({ respond: answers([A, NO_ANSWER, C, A]) })).ctx,
        serviceReachable.params.parse({}),
      );
    };
    const english = await run('en');
    const korean = await run('ko');
    expect(korean.message).toBe(
      'http://hostname-service-clusterip:8080/이(가) 응답하지 않았습니다. hostname-service-clusterip의 이름 풀이가 되는지 확인하세요 (파드에서 nslookup hostname-service-clusterip; CoreDNS가 Ready인지 확인하세요)',
    );
    expect(korean.actual).toContain('http://hostname-service-clusterip:8080/ → 응답 없음');
    expect(korean.expected).toContain('모두 엔드포인트 파드');
    expect(Object.keys(korean.observed ?? {})).toEqual(Object.keys(english.observed ?? {}));
  });

  test('endpoint-replaced: a deleted pod still an endpoint, in Korean', async () => {
    setLanguage('ko');
    const outcome = await endpointReplaced.run(
      fakeContext(seedCluster()).ctx,
      endpointReplaced.params.parse({ deletedPod: A }),
    );
    expect(outcome.message).toBe(
      `삭제한 파드 ${A}이(가) 아직 서비스 hostname-service-clusterip의 엔드포인트에 있습니다. 파드를 삭제했는지, 아직 종료 중(Terminating)인지 확인하세요.`,
    );
    expect(outcome.actual).toBe(`엔드포인트: ${[A, B, C].sort().join(', ')}`);
  });

  test('service-env and service-target: a pod older than the service, a missing port, in Korean', async () => {
    setLanguage('ko');
    const before = fixtureText('env-before-service.txt');
    const cluster = seedCluster({ env: Object.fromEntries(SEED_PODS.map((p) => [p, before])) });
    const older = await serviceEnv.run(fakeContext(cluster).ctx, serviceEnv.params.parse({ pod: A }));
    expect(older.message).toBe(
      `파드 ${A}은(는) 2023-06-12T05:10:41Z에 생성되어 서비스 hostname-service-clusterip(2023-06-12T05:51:27Z)보다 먼저 만들어졌습니다. 이 파드에는 서비스 환경 변수가 있을 수 없으니 파드를 새로 만드세요.`,
    );
    const noPort = await serviceReachable.run(
      fakeContext(seedCluster()).ctx,
      serviceReachable.params.parse({ port: 9999 }),
    );
    expect(noPort.message).toBe(
      '서비스 hostname-service-clusterip에 포트 9999가 없습니다 (포트: 8080). 매니페스트나 확인의 port 값을 확인하세요.',
    );
    expect(noPort.expected).toBe('포트 9999');
  });

  test('kube-read: an object not found, in Korean', async () => {
    setLanguage('ko');
    const outcome = await endpointReplaced.run(
      fakeContext(seedCluster({ deployments: {} })).ctx,
      endpointReplaced.params.parse({ deletedPod: A }),
    );
    expect(outcome.message).toBe(
      '네임스페이스 default에서 deployment hostname-deployment을(를) 찾을 수 없습니다',
    );
  });
});
