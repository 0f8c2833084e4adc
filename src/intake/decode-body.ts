/**
 * Text of a fetched feed or page in the charset it declares: the Content-Type `charset`, else the XML
 * declaration's `encoding` or the HTML `<meta charset>` within the first kilobytes, else UTF-8. A byte-order
 * mark wins over all of them. Unknown labels fall back to UTF-8; bytes that do not decode become U+FFFD.
 */
export function decodeBody(bytes: Uint8Array, contentType = ''): string {
  const declared =
    bom(bytes) ??
    /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1] ??
    sniff(new TextDecoder('latin1').decode(bytes.subarray(0, 2048)));
  try {
    return new TextDecoder(declared ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function bom(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

function sniff(head: string): string | undefined {
  return (
    /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1] ??
    /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1]
  );
}
