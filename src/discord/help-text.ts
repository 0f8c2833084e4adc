import type { APIEmbed } from 'discord.js';

/** What the bot does and how to ask well; shown by /help and by a DM that says "help". */
export function helpEmbed(): APIEmbed {
  return {
    title: 'Clipdesk: a research desk over your archive',
    color: 0x2f6f9f,
    description: [
      'Ask a question and Clipdesk answers with **verbatim quotes** from the articles in the archive, each with its title, outlet, date and link. It never writes text of its own: if nothing in the archive answers, it says so.',
      '',
      '**Commands**',
      '`/ask question` — quotes that answer it. Options: `outlet`, `since` / `until` (YYYY-MM-DD), `count` (articles per page), `private` (only you see it, with a Share button). **More** shows further articles; 👍 / 👎 tell us whether it helped.',
      '`/quotes speaker` — what someone said: their direct quotations, verbatim, with who said it and where (options `about`, `outlet`, `since`, `until`). A question like "What did Tony Blair say about schools?" gets the same answer.',
      '`/sources` — the articles in the archive, newest first (filter by `outlet`).',
      '`/status` — size of the archive, model, last update.',
      '`/digest subscribe` — new articles on a schedule (`daily 08:00`, `weekly monday 09:00`, cron), in a channel (Manage Server) or to you by DM (use it in a DM with me, or `target: me`); also `list`, `preview`, `now`, `unsubscribe`, `resume`.',
      '`/reindex` — read the corpus folder again (Manage Server).',
      '`/scope set` / `show` / `clear` — the part of the archive this channel and its threads see (set and clear: Manage Server).',
      '**Follow up in a thread** under an answer opens a thread where every message is a follow-up (“and in 2003?” is read with the question before it); **🔔 Alert me** sends you a DM when a new article answers the question.',
      '',
      '**Asking well**',
      '• Use the names, places, numbers and terms a story would use: "What did Wang Huning say about paired-up assistance?"',
      '• One question at a time; short beats long.',
      '• Narrow with `outlet`, `since` and `until` when the archive is large.',
      '',
      'You can also mention me in a channel (@Clipdesk and your question) or send me a question as a direct message. Send `help` to see this again.',
    ].join('\n'),
  };
}
