// In progress: schema and description are final; the assertion is being written.
import { defineCheck } from './define-check.ts';
import { sessionAffinityParams } from './check-params.ts';

export const sessionAffinity = defineCheck({
  name: 'session-affinity',
  description:
    'With sessionAffinity ClientIP, each client pod reaches exactly one backend over all its requests.',
  params: sessionAffinityParams,
  run() {
    return Promise.resolve({
      ok: false,
      message: 'check session-affinity is not implemented yet',
      expected: '',
      actual: '',
      retryable: false,
    });
  },
});
