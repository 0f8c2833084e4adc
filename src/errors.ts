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

/**
 * A caught value's message, whatever was thrown: an Error's message, a string as it is, else its text;
 * cut to `maxLength` characters when given (for messages kept in state files).
 */
export function describeError(error: unknown, maxLength?: number): string {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : textOf(error);
  return maxLength === undefined ? message : message.slice(0, maxLength);
}

function textOf(value: unknown): string {
  try {
    return String(value);
  } catch {
    return 'unknown error';
  }
}

/** A caught value's system error code (`ENOENT`, `EACCES`, …), or undefined when it has none. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** The Hugging Face Hub could not be reached (no network, DNS, refused) while loading a Hub model. */
export class HubUnreachableError extends UserFacingError {
  override readonly name = 'UserFacingError';
}

/** Whether an error is a failure to reach a server at all (fetch failed, DNS, refused, reset, timed out). */
export function isNetworkFailure(error: unknown): boolean {
  const codes = [
    'ENOTFOUND',
    'EAI_AGAIN',
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'ENETUNREACH',
    'EHOSTUNREACH',
  ];
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (codes.includes(code) || code.startsWith('UND_ERR_CONNECT'))) return true;
    if (typeof message === 'string' && /^fetch failed$|getaddrinfo|ECONNREFUSED|ENOTFOUND/.test(message))
      return true;
  }
  return false;
}
