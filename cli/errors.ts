/** Exit codes of every `fleetplane` command. */
export const EXIT = {
  /** Success: nothing found, nothing different. */
  OK: 0,
  /** Findings: validation errors, or (diff, plan) differences. */
  FINDINGS: 1,
  /** Usage error, or the command could not do its work (the program crashed, a directory is missing, ...). */
  ERROR: 2,
} as const;

/** A mistake in the command line: printed with the command's usage hint, exit code 2. */
export class UsageError extends Error {
  constructor(message: string, public readonly command?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure the user can act on, printed as one message without a stack trace, exit code 2 unless given. */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode: number = EXIT.ERROR) {
    super(message);
    this.name = 'CliError';
  }
}
