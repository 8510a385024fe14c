// A failing `lab check` of the service lab in Korean and in English: the same run, the student's language on the
// console, the same machine-readable structure in JSON and JUnit.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { setLanguage, type Lang } from '../../../src/i18n/index.ts';
import { InMemoryLabMemory } from '../../../src/lab/memory.ts';
import { defaultCheckRegistry } from '../../../src/lab/registry.ts';
import type { LabRunResult } from '../../../src/lab/results.ts';
import { runLab } from '../../../src/lab/runner.ts';
import { loadLabSpec } from '../../../src/lab/spec/load.ts';
import { createPlainDisplay } from '../../../src/report/console/display.ts';
import { labReportJson } from '../../../src/report/json/json-reporter.ts';
import { junitReporter } from '../../../src/report/junit/junit-reporter.ts';
import { FakeExecutor, fakeTarget } from '../lab/fake-executor.ts';

const LAB = fileURLToPath(new URL('../../../labs/service/lab.yaml', import.meta.url));
const NOT_FOUND = 'Error from server (NotFound): deployments.apps "hostname-deployment" not found';

afterEach(() => setLanguage('en'));

/** Step 1 on a cluster without the Deployment: what the console printed and the result. */
async function failingDeploymentStep(lang: Lang): Promise<{ out: string; result: LabRunResult }> {
  setLanguage(lang);
  const spec = await loadLabSpec(LAB, defaultCheckRegistry());
  const executor = new FakeExecutor((_host, text) =>
    text.startsWith('kubectl get deployment hostname-deployment -o json')
      ? { exitCode: 1, stderr: NOT_FOUND }
      : text.startsWith('kubectl get')
        ? { stdout: 'No resources found in default namespace.' }
        : undefined,
  );
  let out = '';
  const display = createPlainDisplay((text) => (out += text));
  const result = await runLab(spec, fakeTarget(executor), {
    mode: 'check',
    memory: new InMemoryLabMemory(),
    selection: { step: '1' },
    emit: (e) => display.onEvent(e),
  });
  return { out, result };
}

/** The shape of a JSON value: keys and types, every string and number replaced by its type. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return typeof value;
}

/** JUnit XML with text and translatable attribute values blanked: elements, attribute names, stable names. */
function xmlShape(xml: string): string {
  return xml
    .replace(/(message)="[^"]*"/g, '$1=""')
    .replace(/(time|timestamp)="[^"]*"/g, '$1=""')
    .replace(/>[^<]+</g, '><');
}

describe('lab check in Korean', () => {
  test('a failing step prints its Korean title, hint and explanation', async () => {
    const { out, result } = await failingDeploymentStep('ko');
    expect(result.exitCode).toBe(1);
    expect(out).toContain('[1] deployment: 디플로이먼트 hostname-deployment가 echo-hostname 파드 3개를 실행');
    expect(out).toContain('✖ 디플로이먼트가 튜토리얼과 같고');
    expect(out).toContain('실패 1 deployment: 확인 2개 중 1번째 "디플로이먼트가 튜토리얼과 같고');
    expect(out).toContain(`찾을 수 없습니다: 먼저 이 단계의 매니페스트를 적용하세요 (${NOT_FOUND})`);
    expect(out).toMatch(/ {4}기대 결과: 종료 코드 0; \$\.spec\.replicas = 3;/);
    expect(out).toMatch(/ {4}실제 결과: 종료 코드 1; stderr: Error from server \(NotFound\)/);
    expect(out).toContain(
      '    힌트:      튜토리얼의 매니페스트를 적용하세요: `kubectl apply -f hostname-deployment.yaml`.',
    );
    expect(out).toMatch(/^단계 +제목 +결과 +점수 +시간$/m);
    expect(out).toContain('test의 service: 0/10점, 1단계 중 0단계 통과');
    expect(out).not.toMatch(/expected:|hint:|Apply the tutorial/);
  });

  test('the same run in English (the default) says it in English', async () => {
    const { out } = await failingDeploymentStep('en');
    expect(out).toContain('[1] deployment: Deployment hostname-deployment runs 3 echo-hostname pods');
    expect(out).toContain(`FAIL 1 deployment: check 1 of 2 "the Deployment is the tutorial's`);
    expect(out).toContain(`not found: apply the step's manifest first (${NOT_FOUND})`);
    expect(out).toContain('    expected: exit code 0; $.spec.replicas = 3;');
    expect(out).toContain('    hint:     Apply the tutorial');
    expect(out).not.toMatch(/[가-힣]/);
  });

  test('JSON and JUnit reports have the same structure and stable keys in both languages', async () => {
    const ko = (await failingDeploymentStep('ko')).result;
    const en = (await failingDeploymentStep('en')).result;
    const [jsonKo, jsonEn] = [labReportJson(ko), labReportJson(en)];
    expect(shape(jsonKo)).toEqual(shape(jsonEn));
    expect([jsonKo.lang, jsonEn.lang]).toEqual(['ko', 'en']);
    // Ids, kinds, statuses, observed keys and the lab's fingerprint do not change with the language.
    const stable = (j: typeof jsonKo) => ({
      fingerprint: j.labFingerprint,
      steps: j.steps.map((s) => ({
        id: s.id,
        status: s.status,
        observed: Object.keys(s.observed),
        checks: s.checks.map((c) => [c.kind, c.status]),
      })),
    });
    expect(stable(jsonKo)).toEqual(stable(jsonEn));
    expect(jsonKo.steps[0]?.title).toMatch(/^디플로이먼트/);
    const [xmlKo, xmlEn] = [junitReporter.render(ko), junitReporter.render(en)];
    expect(xmlShape(xmlKo)).toEqual(xmlShape(xmlEn));
    expect(xmlKo).toContain('name="1 deployment: Deployment hostname-deployment runs 3 echo-hostname pods"');
    // The failure's text beside the stable name is the student's.
    expect(xmlKo).toContain('튜토리얼의 매니페스트를 적용하세요');
  });
});
