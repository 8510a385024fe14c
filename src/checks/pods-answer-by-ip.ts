// In progress: schema and description are final; the assertion is being written.
import { defineCheck } from './define-check.ts';
import { podsAnswerByIpParams } from './check-params.ts';

export const podsAnswerByIp = defineCheck({
  name: 'pods-answer-by-ip',
  description:
    'Every Ready pod of the selector answers on its pod IP from a client pod, and its page names that pod.',
  params: podsAnswerByIpParams,
  run() {
    return Promise.resolve({
      ok: false,
      message: 'check pods-answer-by-ip is not implemented yet',
      expected: '',
      actual: '',
      retryable: false,
    });
  },
});
