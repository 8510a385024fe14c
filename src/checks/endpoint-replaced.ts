// In progress: schema and description are final; the assertion is being written.
import { defineCheck } from './define-check.ts';
import { endpointReplacedParams } from './check-params.ts';

export const endpointReplaced = defineCheck({
  name: 'endpoint-replaced',
  description:
    'After a pod is deleted, its name never answers through the service again and its replacement does.',
  params: endpointReplacedParams,
  run() {
    return Promise.resolve({
      ok: false,
      message: 'check endpoint-replaced is not implemented yet',
      expected: '',
      actual: '',
      retryable: false,
    });
  },
});
