/**
 * The hostile page of the reliability work: an article of `paragraphs` paragraphs followed by `nested`
 * nested `<div>`s around one more paragraph (about 1.3 MB at the defaults), as a feed or an upload may send.
 */
export function hostilePage(paragraphs = 20_000, nested = 10_000): string {
  const sentence = (i: number) => `Item ${i}: the harbour dredging cost ${i % 97} thousand.`;
  const body = Array.from({ length: paragraphs }, (_, i) => `<p>${sentence(i + 1)}</p>`).join('\n');
  const deep = `${'<div>'.repeat(nested)}<p>The innermost paragraph closes the report.</p>${'</div>'.repeat(nested)}`;
  return `<!doctype html><html><head><title>Harbour board report</title><meta property="og:site_name" content="Harbour Gazette"></head><body><article><h1>Harbour board report</h1>\n${body}\n${deep}</article></body></html>`;
}
