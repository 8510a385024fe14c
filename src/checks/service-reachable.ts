// In progress: schema and description are final; the assertion is being written.
import { defineCheck } from './define-check.ts';
import { serviceReachableParams } from './check-params.ts';

export const serviceReachable = defineCheck({
  name: 'service-reachable',
  description:
    'The service answers by ClusterIP:port and by DNS name (short, name.namespace, FQDN) from a client pod.',
  params: serviceReachableParams,
  run() {
    return Promise.resolve({
      ok: false,
      message: 'check service-reachable is not implemented yet',
      expected: '',
      actual: '',
      retryable: false,
    });
  },
});
