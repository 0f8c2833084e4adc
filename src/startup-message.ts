import { errorChain, errorCode, errorMessage, isNetworkFailure, UserFacingError } from './errors.js';

/**
 * The plain sentence printed on stderr when the bot cannot start, beside the fatal log line (which a
 * person may not read, or may have silenced with LOG_LEVEL): null when there is nothing plainer to say.
 */
export function startupMessage(error: unknown, apiUrl = 'https://discord.com/api'): string | null {
  if (error instanceof UserFacingError) return error.message;
  // discord.js reports a token Discord refused (401 on GET /gateway/bot) as code TokenInvalid.
  if (errorCode(error) === 'TokenInvalid') {
    return (
      'Discord refused the bot token (DISCORD_TOKEN). Copy it again from the Discord developer portal ' +
      '(your application > Bot > Reset Token) into .env, with nothing around it.'
    );
  }
  // Closed with 4014: the application may not use the Message Content intent (follow-ups in threads).
  const text = `${errorCode(error) ?? ''} ${errorMessage(error) ?? ''}`;
  if (/DisallowedIntents|Privileged intent|4014/.test(text)) {
    return (
      'Discord refused the Message Content intent, which follow-ups in threads need. In the Discord developer ' +
      'portal, open your application > Bot and switch on Message Content Intent under Privileged Gateway ' +
      'Intents; or set DISCORD_THREAD_FOLLOWUPS=0 (a follow-up must then mention the bot).'
    );
  }
  // getaddrinfo ENOTFOUND discord.com, a refused or reset connection, a timeout: Discord was not reached.
  if (isNetworkFailure(error)) {
    const host = hostOf(apiUrl);
    return (
      `Discord could not be reached at ${host} (${networkReason(error)}). Check this machine's internet ` +
      'connection, DNS and proxy (and DISCORD_API_URL if you set it), then start the bot again.'
    );
  }
  return null;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** `getaddrinfo ENOTFOUND discord.com` or the like, from the error or its causes. */
function networkReason(error: unknown): string {
  for (const e of errorChain(error)) {
    const message = errorMessage(e);
    if (message && /getaddrinfo|ECONN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH/.test(message)) return message;
    const code = errorCode(e);
    if (code && /^E[A-Z]+$/.test(code)) return code;
  }
  return 'no connection';
}
