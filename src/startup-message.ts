import { UserFacingError } from './errors.js';

/**
 * The plain sentence printed on stderr when the bot cannot start, beside the fatal log line (which a
 * person may not read, or may have silenced with LOG_LEVEL): null when there is nothing plainer to say.
 */
export function startupMessage(error: unknown): string | null {
  if (error instanceof UserFacingError) return error.message;
  // discord.js reports a token Discord refused (401 on GET /gateway/bot) as code TokenInvalid.
  if ((error as { code?: unknown } | null)?.code === 'TokenInvalid') {
    return (
      'Discord refused the bot token (DISCORD_TOKEN). Copy it again from the Discord developer portal ' +
      '(your application > Bot > Reset Token) into .env, with nothing around it.'
    );
  }
  return null;
}
