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
    const expected = `each Ready pod matching ${p.selector} (at least ${p.minPods}) answers on http://<pod IP>:${p.port} with its own name`;
    if (ready.length < p.minPods) {
      const readyNames = new Set(ready.map((r) => r.name));
      const notReady = live.map((pod) => pod.metadata.name).filter((n) => !readyNames.has(n));
      fail({
        message: `${ready.length} Ready pod(s) match ${p.selector} in namespace ${namespace}, expected at least ${p.minPods}${notReady.length ? ` (not Ready: ${notReady.join(', ')})` : ''}: is the Deployment applied and its image pulled?`,
        expected,
        actual: `${ready.length} Ready of ${live.length}`,
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
    const actual = rows.map((r) => `${r.ip} → ${r.answeredAs ?? 'no answer'}`).join(', ');
    const observed = { client: client.name, pods: rows };
    const silent = rows.find((r) => r.answeredAs === null);
    if (silent)
      fail({
        message: `pod ${silent.pod} (${silent.ip}) never answered on port ${p.port}: is it Ready? is it serving on ${p.port}? (${client.name} saw: ${answers.get(rows.indexOf(silent))?.raw || 'nothing'})`,
        expected,
        actual,
        observed,
      });
    const wrong = rows.find((r) => r.answeredAs !== r.pod);
    if (wrong)
      fail({
        message: `${wrong.ip} answered as ${wrong.answeredAs}, not ${wrong.pod}: is the pod IP reused, or is something else listening?`,
        expected,
        actual,
        observed,
      });
    return {
      ok: true,
      message: `${rows.length} pods answered by IP with their own names`,
      expected,
      actual,
      observed,
    };
  },
});
