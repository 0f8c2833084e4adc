import { escapeMarkdown } from 'discord.js';

/**
 * Text from the archive or from a person, made inert for Discord markdown: emphasis, code, spoilers,
 * headings, lists, masked links and block quotes show as typed.
 */
export function plain(text: string): string {
  return escapeMarkdown(text, {
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: true,
  }).replace(/^>/gm, '\\>');
}

/**
 * Renders a verbatim quote as a Discord block quote: every line of the quote prefixed with `> `, blank
 * lines between paragraphs dropped (a block quote cannot hold them), the words untouched but escaped.
 */
export function blockQuote(quote: string): string {
  return quote
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => `> ${plain(line)}`)
    .join('\n');
}
