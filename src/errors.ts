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

/** A caught value and its causes (`cause`, the cause's cause, …), at most `depth` of them. */
export function errorChain(error: unknown, depth = 4): unknown[] {
  const chain: unknown[] = [];
  for (
    let e = error;
    e && chain.length < depth;
    e = typeof e === 'object' && 'cause' in e ? e.cause : undefined
  )
    chain.push(e);
  return chain;
}

/** The `message` of a caught value when it has one (an Error, or an object shaped like one). */
export function errorMessage(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('message' in error)) return undefined;
  return typeof error.message === 'string' ? error.message : undefined;
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
  return errorChain(error).some((e) => {
    const code = errorCode(e);
    if (code && (codes.includes(code) || code.startsWith('UND_ERR_CONNECT'))) return true;
    return /^fetch failed$|getaddrinfo|ECONNREFUSED|ENOTFOUND/.test(errorMessage(e) ?? '');
  });
}
