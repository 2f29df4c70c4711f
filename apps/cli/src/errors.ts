/** What the exit code of `boocode` means; scripts test it. */
export const EXIT = {
  ok: 0,
  /** The server answered but refused, or the work failed (an agent turn, a conflict). */
  failure: 1,
  /** The command line was wrong: unknown command or option, a missing argument. */
  usage: 2,
  /** The server could not be found or reached, or it refused the token. */
  unreachable: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports in one line and exits with its code. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failure,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);
export const unreachable = (message: string) => new CliError(message, EXIT.unreachable);
