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
  // Closed with 4014: the application may not use the Message Content intent (follow-ups in threads).
  const text = `${(error as { code?: unknown } | null)?.code ?? ''} ${(error as Error | null)?.message ?? ''}`;
  if (/DisallowedIntents|Privileged intent|4014/.test(text)) {
    return (
      'Discord refused the Message Content intent, which follow-ups in threads need. In the Discord developer ' +
      'portal, open your application > Bot and switch on Message Content Intent under Privileged Gateway ' +
      'Intents; or set DISCORD_THREAD_FOLLOWUPS=0 (a follow-up must then mention the bot).'
    );
  }
  return null;
}
