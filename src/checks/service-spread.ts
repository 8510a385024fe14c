// In progress: schema and description are final; the assertion is being written.
import { defineCheck } from './define-check.ts';
import { serviceSpreadParams } from './check-params.ts';

export const serviceSpread = defineCheck({
  name: 'service-spread',
  description:
    'Requests to the service reach every ready endpoint and nothing else; counts fit a uniform spread (chi-squared) or, with mode rr, rotate strictly.',
  params: serviceSpreadParams,
  run() {
    return Promise.resolve({
      ok: false,
      message: 'check service-spread is not implemented yet',
      expected: '',
      actual: '',
      retryable: false,
    });
  },
});
