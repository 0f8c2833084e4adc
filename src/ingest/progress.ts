import { printableName } from '../util/printable.js';
import type { IngestProgress, IngestResult } from './ingest.js';

/**
 * Ingest progress on a stream: one line redrawn in place on a terminal, a line per tenth otherwise
 * (so CI logs and pipes stay readable).
 */
export function progressPrinter(stream: NodeJS.WriteStream): (progress: IngestProgress) => void {
  let lastTenth = -1;
  let lastPhase = '';
  return ({ phase, done, total }) => {
    if (phase === 'reading' && lastPhase !== 'reading') stream.write('Reading the corpus…\n');
    if (phase === 'embedding' && total > 0) {
      const percent = Math.floor((done / total) * 100);
      if (stream.isTTY) {
        stream.write(`\rEmbedding articles: ${done}/${total} (${percent}%)`);
        if (done === total) stream.write('\n');
      } else if (Math.floor(percent / 10) !== lastTenth) {
        lastTenth = Math.floor(percent / 10);
        stream.write(`Embedding articles: ${done}/${total} (${percent}%)\n`);
      }
    }
    if (phase === 'writing' && lastPhase !== 'writing') stream.write('Writing the index…\n');
    lastPhase = phase;
  };
}

/** The end-of-ingest summary a person reads. */
/** Undated articles named one a line in the summary; the rest are counted. */
const MAX_UNDATED_SHOWN = 50;

export function formatSummary({ summary }: IngestResult): string {
  const lines = [
    `Ingest finished in ${summary.seconds.toFixed(1)} s: ${summary.articles} articles, ${summary.passages} passages in the index.`,
    `  added ${summary.added}, updated ${summary.updated}, unchanged ${summary.unchanged}, removed ${summary.removed}, skipped ${summary.skipped.length}`,
  ];
  if (summary.parsedFiles !== undefined)
    lines.push(
      `  parsed ${summary.parsedFiles} new or changed file${summary.parsedFiles === 1 ? '' : 's'}; the others were recognised unchanged`,
    );
  if (summary.embeddedPassages > 0) {
    const rate = summary.seconds > 0 ? Math.round(summary.embeddedTokens / summary.seconds) : 0;
    lines.push(
      `  embedded ${summary.embeddedPassages} passages (${summary.embeddedTokens} tokens, ${rate} tokens/s overall)`,
    );
  }
  for (const r of summary.repaired ?? [])
    lines.push(
      `  repaired ${r.segment}: ${printableName(r.problem)}; its articles were read again from the corpus`,
    );
  for (const skipped of summary.skipped)
    lines.push(`  skipped ${printableName(skipped.source)}: ${printableName(skipped.reason)}`);
  for (const { source, note } of summary.notes ?? []) lines.push(`  note ${printableName(source)}: ${note}`);
  const undated = summary.undated ?? [];
  if (undated.length > 0) {
    lines.push(
      `  undated ${undated.length} new or changed article${undated.length === 1 ? '' : 's'} (no date found: date filters, --since/--until and /ask since/until, leave ${undated.length === 1 ? 'it' : 'them'} out; put a date on the title line, e.g. "2005-02-10 Title", or a date line under it):`,
    );
    for (const source of undated.slice(0, MAX_UNDATED_SHOWN)) lines.push(`    ${printableName(source)}`);
    if (undated.length > MAX_UNDATED_SHOWN)
      lines.push(`    … and ${undated.length - MAX_UNDATED_SHOWN} more`);
  }
  return `${lines.join('\n')}\n`;
}
