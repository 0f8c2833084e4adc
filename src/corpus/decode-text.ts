import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

/** How much of a file is looked at to tell its encoding. */
const SAMPLE_BYTES = 8192;
/** Above this share of control characters, decoded bytes are not text. */
const MAX_CONTROL_SHARE = 0.01;

/**
 * The text of an article file, or null when the bytes are no text at all (binary).
 *
 * A byte-order mark decides (UTF-8, UTF-16 LE/BE). Without one: UTF-16 when every other byte is zero, as
 * in UTF-16 text of Latin script; binary when there are zero bytes otherwise; UTF-8 when the bytes are
 * valid UTF-8; else windows-1252, the superset of Latin-1 that legacy Western exports use (`£` as 0xA3,
 * curly quotes as 0x93/0x94). windows-1252 comes from iconv-lite: Node 20's TextDecoder decodes that label
 * as ISO-8859-1, which turns curly quotes and the euro sign into invisible control characters.
 * Whatever the encoding, a result with more than 1% control characters is binary.
 */
export function decodeText(bytes: Uint8Array): DecodedText | null {
  const decoded = decodeBytes(bytes);
  return decoded && looksLikeText(decoded.text) ? decoded : null;
}

function decodeBytes(bytes: Uint8Array): DecodedText | null {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return strict('utf-8', bytes.subarray(3));
  if (startsWith(bytes, [0xff, 0xfe])) return strict('utf-16le', bytes.subarray(2));
  if (startsWith(bytes, [0xfe, 0xff])) return strict('utf-16be', bytes.subarray(2));
  const utf16 = sniffUtf16(bytes.subarray(0, SAMPLE_BYTES));
  if (utf16) return strict(utf16, bytes);
  if (bytes.subarray(0, SAMPLE_BYTES).includes(0)) return null;
  return (
    strict('utf-8', bytes) ?? {
      text: iconv.decode(Buffer.from(bytes), 'windows-1252'),
      encoding: 'windows-1252',
    }
  );
}

/** Decodes with no replacement characters: invalid input is null. */
function strict(encoding: Exclude<TextEncoding, 'windows-1252'>, bytes: Uint8Array): DecodedText | null {
  try {
    return { text: new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes), encoding };
  } catch {
    return null;
  }
}

/** UTF-16 without a mark: zeros in most odd bytes (LE) or most even bytes (BE), and almost none elsewhere. */
function sniffUtf16(sample: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const pairs = Math.floor(sample.length / 2);
  if (pairs < 2) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (sample[i] === 0) evenZeros++;
    if (sample[i + 1] === 0) oddZeros++;
  }
  if (oddZeros >= pairs * 0.3 && evenZeros <= pairs * 0.02) return 'utf-16le';
  if (evenZeros >= pairs * 0.3 && oddZeros <= pairs * 0.02) return 'utf-16be';
  return null;
}

function looksLikeText(text: string): boolean {
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Tab, line feed, vertical tab, form feed and carriage return are text; U+FFFD marks undefined bytes.
    if ((c < 0x20 && (c < 0x09 || c > 0x0d)) || c === 0x7f || c === 0xfffd) controls++;
  }
  return controls <= text.length * MAX_CONTROL_SHARE;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}
