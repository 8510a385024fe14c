// Seed stage 2: from a busybox pod, `wget -q -O - http://<podIP> | grep Hello` answers `<p>Hello,  NAME</p>`
// for every pod of the Deployment. One exec: the script visits every pod IP in turn.
import { t } from '../i18n/index.ts';
import { isConditionTrue } from '../cluster/schemas.ts';
import { podsAnswerByIpParams } from './check-params.ts';
import { probeFromSharedClient } from './client-pod.ts';
import { defineCheck, fail } from './define-check.ts';
import { urlFor } from './http-script.ts';
import { kubectlJson } from './kube-read.ts';
import { podListSchema } from './kube-schemas.ts';

export const podsAnswerByIp = defineCheck({
  name: 'pods-answer-by-ip',
  description: () => t().checkDescription.podsAnswerByIp,
  params: podsAnswerByIpParams,
  async run(ctx, p) {
    const namespace = p.namespace ?? ctx.namespace;
    const list = await kubectlJson(ctx, ['get', 'pods', '-l', p.selector], podListSchema, {
      what: `pods ${p.selector}`,
      namespace,
    });
    const live = list.items.filter((pod) => !pod.metadata.deletionTimestamp);
    const ready = live.flatMap((pod) =>
      isConditionTrue(pod, 'Ready') && pod.status?.podIP
        ? [{ name: pod.metadata.name, ip: pod.status.podIP }]
        : [],
    );
    const say = t().checks;
    const expected = say.podsByIp.expected(p.selector, p.minPods, p.port);
    if (ready.length < p.minPods) {
      const readyNames = new Set(ready.map((r) => r.name));
      const notReady = live.map((pod) => pod.metadata.name).filter((n) => !readyNames.has(n));
      fail({
        message: say.podsByIp.tooFew(ready.length, p.selector, namespace, p.minPods, notReady.join(', ')),
        expected,
        actual: say.podsByIp.readyOf(ready.length, live.length),
        // No pod at all: nothing is on its way. Pods that exist but are not Ready are starting.
        progress: live.length === 0 ? 'absent' : 'converging',
      });
    }
    const urls = ready.map((pod) => urlFor(pod.ip, p.port));
    const { client, answers } = await probeFromSharedClient(ctx, namespace, p.clientImage, urls);
    const rows = ready.map((pod, i) => ({
      pod: pod.name,
      ip: pod.ip,
      answeredAs: answers.get(i)?.name ?? null,
    }));
    const actual = rows.map((r) => `${r.ip} → ${r.answeredAs ?? say.noAnswer}`).join(', ');
    const observed = { client: client.name, pods: rows };
    const silent = rows.find((r) => r.answeredAs === null);
    if (silent)
      fail({
        message: say.podsByIp.silent(
          silent.pod,
          silent.ip,
          p.port,
          client.name,
          answers.get(rows.indexOf(silent))?.raw || t().traffic.nothing,
        ),
        expected,
        actual,
        observed,
      });
    const wrong = rows.find((r) => r.answeredAs !== r.pod);
    if (wrong)
      fail({
        message: say.podsByIp.wrongName(wrong.ip, wrong.answeredAs ?? '', wrong.pod),
        expected,
        actual,
        observed,
      });
    return {
      ok: true,
      message: say.podsByIp.passed(rows.length),
      expected,
      actual,
      observed,
    };
  },
});
