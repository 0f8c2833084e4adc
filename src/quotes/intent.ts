/**
 * "What did X say (about Y)?" in a question: the speaker and the topic, so that /ask and direct messages
 * answer with X's quotations. Plain patterns on purpose: a question that does not take this form is an
 * ordinary /ask question and gets the ordinary answer.
 */
export interface QuoteIntent {
  speaker: string;
  about: string | null;
}

const FORMS = [
  /^(?:so\s+)?what\s+(?:did|has|have|does|do|had)\s+(.+?)\s+(?:say|said|says|tell|told)(?:\s+(?:about|on|regarding|of|concerning)\s+(.+?))?$/i,
  /^(?:show\s+me\s+|give\s+me\s+|find\s+)?(?:direct\s+)?quot(?:es|ations)\s+(?:from|by)\s+(.+?)(?:\s+(?:about|on|regarding)\s+(.+?))?$/i,
];

export function parseQuoteIntent(question: string): QuoteIntent | null {
  const text = question
    .trim()
    .replace(/[?.!\s]+$/, '')
    .replace(/\s+/g, ' ');
  for (const form of FORMS) {
    const m = form.exec(text);
    if (!m) continue;
    const speaker = (m[1] as string).replace(/^["“']|["”']$/g, '').trim();
    // "What did the government say": a speaker must be named, not a pronoun or a bare "it".
    if (!speaker || /^(he|she|they|it|you|we|i|people|everyone)$/i.test(speaker) || speaker.length > 80)
      return null;
    return { speaker, about: m[2]?.trim() || null };
  }
  return null;
}
