// One preflight finding: what was seen and, for a warning or failure, what the student can do about it.

export interface PreflightResult {
  readonly id: string;
  readonly status: 'pass' | 'warn' | 'fail';
  readonly message: string;
  /** What to do about it (fail and warn only). */
  readonly fix?: string;
}
