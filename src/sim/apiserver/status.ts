// metav1.Status errors with kube-apiserver's wording (k8s.io/apimachinery/pkg/api/errors).
import type { ApiResource } from './resources.ts';

export type Reason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Invalid'
  | 'Conflict'
  | 'BadRequest'
  | 'Forbidden'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'Expired'
  | 'InternalError';

const CODES: Record<Reason, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Invalid: 422,
  Conflict: 409,
  BadRequest: 400,
  Forbidden: 403,
  MethodNotAllowed: 405,
  UnsupportedMediaType: 415,
  Expired: 410,
  InternalError: 500,
};

export interface StatusDetails {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly uid?: string;
  readonly causes?: readonly { reason: string; message: string; field: string }[];
}

/** An error the server answers with a Status body (thrown by handlers, caught by the router). */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  constructor(
    readonly reason: Reason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }
  get code(): number {
    return CODES[this.reason];
  }
  toStatus(): object {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** `deployments.apps` / `pods`: the qualified resource as error messages name it. */
export const qualified = (r: ApiResource): string => (r.group ? `${r.plural}.${r.group}` : r.plural);

const details = (r: ApiResource, name: string): StatusDetails => ({
  name,
  ...(r.group ? { group: r.group } : {}),
  kind: r.plural,
});

export const notFound = (r: ApiResource, name: string): StatusError =>
  new StatusError('NotFound', `${qualified(r)} "${name}" not found`, details(r, name));

export const alreadyExists = (r: ApiResource, name: string): StatusError =>
  new StatusError('AlreadyExists', `${qualified(r)} "${name}" already exists`, details(r, name));

export const conflict = (r: ApiResource, name: string): StatusError =>
  new StatusError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details(r, name),
  );

/** `The Deployment "x" is invalid: spec.selector: Required value` with its causes, as a 422. */
export function invalid(r: ApiResource, name: string, message: string): StatusError {
  const body = message.replace(/^The \S+ "[^"]*" is invalid: \n?/, '');
  const causes = body
    .split('\n')
    .map((l) => l.replace(/^\* /, ''))
    .filter((l) => l !== '')
    .map((l) => {
      const m = /^([^:]+): ([^:]+?)(?:: (.*))?$/.exec(l);
      return {
        reason: `Field${(m?.[2] ?? 'Invalid').replace(/ /g, '')}`,
        message: m?.[3] ? `${m[2]}: ${m[3]}` : l,
        field: m?.[1] ?? '',
      };
    });
  return new StatusError('Invalid', message, {
    name,
    ...(r.group ? { group: r.group } : {}),
    kind: r.kind,
    causes,
  });
}

export function successStatus(r: ApiResource, name: string, uid: string): object {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { ...details(r, name), uid },
  };
}
