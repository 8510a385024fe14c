// Exit codes shared by every labkit command, so scripts and CI can tell failures apart.
export const EXIT = {
  ok: 0,
  /** A lab check (or smoke check) failed. */
  checkFailed: 1,
  /** Bad usage, or an invalid spec/config/inventory file. */
  usage: 2,
  /** A target host or VM could not be reached. */
  unreachable: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that ends a command with a given exit code and a message meant for the user. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
