/**
 * Discord markup that is not a word of the question: user, role and channel mentions (`<@id>`, `<@!id>`,
 * `<@&id>`, `<#id>`), custom emoji (`<:name:id>`, `<a:name:id>`), slash-command mentions (`</name:id>`),
 * timestamps (`<t:seconds:R>`), and `@everyone` / `@here`. The search would otherwise look for the ids'
 * digits as words and find nothing that holds them.
 */
const MARKUP =
  /<(?:@[!&]?\d+|#\d+|a?:[\w~-]{1,32}:\d+|\/[^<>:]{1,100}:\d+|t:-?\d+(?::[tTdDfFsSR])?)>|@(?:everyone|here)\b/gu;

/** The question's own words: Discord markup removed, white space collapsed. Pure. */
export function questionWords(text: string): string {
  return text.replace(MARKUP, ' ').replace(/\s+/g, ' ').trim();
}
