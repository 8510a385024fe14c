// In progress: schema and description are final; the assertion is being written.
import { defineCheck } from './define-check.ts';
import { serviceEnvParams } from './check-params.ts';

export const serviceEnv = defineCheck({
  name: 'service-env',
  description:
    'A pod created after the service has its eight <NAME>_SERVICE_*/<NAME>_PORT_* variables with the right values; a pod created before it has none.',
  params: serviceEnvParams,
  run() {
    return Promise.resolve({
      ok: false,
      message: 'check service-env is not implemented yet',
      expected: '',
      actual: '',
      retryable: false,
    });
  },
});
