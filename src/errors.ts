/**
 * An error whose message is written for the person who asked, not for the log.
 * The Discord layer shows it (privately) as it is; the CLI prints it without a stack.
 */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
}

/** Start-up configuration is missing or malformed; the message names every variable at fault. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}
