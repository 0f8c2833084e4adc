import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';

/**
 * A small PDF writer for tests, with no PDF library: objects, content streams of text-showing operators in
 * the order given, an information dictionary, optional XMP, an image-only page (a "scan"), and RC4
 * encryption with the standard security handler (revision 2), so that tests build the files a newsroom
 * has by hand, as an independent check would.
 */

/** One `Tj` at a position: `BT /F1 size Tf x y Td (text) Tj ET`. */
export interface PdfText {
  x: number;
  y: number;
  size: number;
  text: string;
  /** F1 is Helvetica, F2 Helvetica-Bold. */
  font?: 'F1' | 'F2';
}

export interface PdfPage {
  /** Drawn in this order (the file's drawing order, whatever the reading order). */
  texts?: PdfText[];
  /** A full-page image and no text: what a scanner makes. */
  scan?: boolean;
  /** Extra content-stream operators, appended as they are. */
  raw?: string;
}

export interface PdfOptions {
  /** Information dictionary entries (`Title`, `Author`, `CreationDate`, `Publisher`, ...). */
  info?: Record<string, string>;
  /** An XMP packet for the catalog's /Metadata stream. */
  xmp?: string;
  /** Encrypt with RC4-40 (standard security handler, revision 2). */
  encrypt?: { userPassword: string; ownerPassword: string };
}

const PAGE = { width: 612, height: 792 };

export function buildPdf(pages: readonly PdfPage[], options: PdfOptions = {}): Buffer {
  const objects: Array<Buffer | null> = [];
  const add = (body: Buffer | null): number => objects.push(body);
  const catalog = add(null);
  const pagesRef = add(null);
  const helvetica = add(
    latin('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'),
  );
  const bold = add(
    latin('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>'),
  );
  const id = createHash('md5')
    .update(JSON.stringify([pages, options.info]))
    .digest();
  const crypt = options.encrypt ? encryption(options.encrypt, id) : null;
  const stream = (num: number, dict: string, data: Buffer) => {
    const bytes = crypt ? crypt.object(num, data) : data;
    return Buffer.concat([
      latin(`<< ${dict} /Length ${bytes.length} >>\nstream\n`),
      bytes,
      latin('\nendstream'),
    ]);
  };
  const string = (num: number, text: string) =>
    crypt ? `<${crypt.object(num, encode(text)).toString('hex')}>` : `(${escapeString(encode(text))})`;

  let image = 0;
  if (pages.some((p) => p.scan)) {
    image = add(null);
    // A 16x16 grey image: pixels and no text layer, like a page from a scanner.
    const pixels = Buffer.alloc(256, 0xd0);
    objects[image - 1] = stream(
      image,
      '/Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray /BitsPerComponent 8',
      pixels,
    );
  }
  const kids: number[] = [];
  for (const page of pages) {
    const content = add(null);
    const ops: Buffer[] = [];
    if (page.scan) ops.push(latin(`q ${PAGE.width - 72} 0 0 ${PAGE.height - 72} 36 36 cm /Im1 Do Q\n`));
    for (const t of page.texts ?? [])
      ops.push(
        latin(`BT /${t.font ?? 'F1'} ${t.size} Tf ${t.x} ${t.y} Td (`),
        escapeString(encode(t.text)),
        latin(') Tj ET\n'),
      );
    if (page.raw) ops.push(latin(page.raw));
    objects[content - 1] = stream(content, '', Buffer.concat(ops));
    const xobject = page.scan ? ` /XObject << /Im1 ${image} 0 R >>` : '';
    kids.push(
      add(
        latin(
          `<< /Type /Page /Parent ${pagesRef} 0 R /MediaBox [0 0 ${PAGE.width} ${PAGE.height}] ` +
            `/Resources << /Font << /F1 ${helvetica} 0 R /F2 ${bold} 0 R >>${xobject} >> /Contents ${content} 0 R >>`,
        ),
      ),
    );
  }
  let metadata = 0;
  if (options.xmp) {
    metadata = add(null);
    objects[metadata - 1] = stream(
      metadata,
      '/Type /Metadata /Subtype /XML',
      Buffer.from(options.xmp, 'utf8'),
    );
  }
  objects[catalog - 1] = latin(
    `<< /Type /Catalog /Pages ${pagesRef} 0 R${metadata ? ` /Metadata ${metadata} 0 R` : ''} >>`,
  );
  objects[pagesRef - 1] = latin(
    `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`,
  );
  let info = 0;
  if (options.info) {
    info = add(null);
    const entries = Object.entries(options.info).map(([key, value]) => `/${key} ${string(info, value)}`);
    objects[info - 1] = latin(`<< ${entries.join(' ')} >>`);
  }
  let encrypt = 0;
  if (crypt) encrypt = add(latin(crypt.dictionary));

  const parts: Buffer[] = [latin('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n')];
  let length = parts[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const bytes = Buffer.concat([latin(`${i + 1} 0 obj\n`), body ?? latin('null'), latin('\nendobj\n')]);
    parts.push(bytes);
    length += bytes.length;
  });
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  const trailer =
    `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R${info ? ` /Info ${info} 0 R` : ''}` +
    `${encrypt ? ` /Encrypt ${encrypt} 0 R` : ''} /ID [<${id.toString('hex')}> <${id.toString('hex')}>] >>\n` +
    `startxref\n${length}\n%%EOF\n`;
  parts.push(latin(xref + trailer));
  return Buffer.concat(parts);
}

/** Text cut into lines of at most `width` characters, between words. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * A page with two columns drawn line by line across both (left line 1, right line 1, left line 2, ...),
 * as many layout programs write them; `top` is the first baseline, lines `leading` apart.
 */
export function twoColumnTexts(
  left: readonly string[],
  right: readonly string[],
  { top = 700, leading = 14, size = 11, gutterX = 318 } = {},
): PdfText[] {
  const texts: PdfText[] = [];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const y = top - i * leading;
    if (left[i] !== undefined) texts.push({ x: 72, y, size, text: left[i] as string });
    if (right[i] !== undefined) texts.push({ x: gutterX, y, size, text: right[i] as string });
  }
  return texts;
}

/** Lines of one column from `top` down, `leading` apart. */
export function columnTexts(
  lines: readonly string[],
  { x = 72, top = 700, leading = 14, size = 11 } = {},
): PdfText[] {
  return lines.map((text, i) => ({ x, y: top - i * leading, size, text }));
}

function latin(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** Text in the fonts' WinAnsiEncoding (windows-1252): curly quotes, dashes and accents included. */
function encode(text: string): Buffer {
  return iconv.encode(text, 'windows-1252');
}

/** A literal string's bytes with `(`, `)` and `\` escaped. */
function escapeString(bytes: Buffer): Buffer {
  const out: number[] = [];
  for (const b of bytes) {
    if (b === 0x28 || b === 0x29 || b === 0x5c) out.push(0x5c);
    out.push(b);
  }
  return Buffer.from(out);
}

const PADDING = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

/** The standard security handler, revision 2 (RC4, 40-bit key): PDF 1.7, algorithms 3.1 to 3.4. */
function encryption(
  { userPassword, ownerPassword }: { userPassword: string; ownerPassword: string },
  id: Buffer,
) {
  const pad = (password: string) => Buffer.concat([latin(password), PADDING]).subarray(0, 32);
  const md5 = (...parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest();
  const owner = rc4(md5(pad(ownerPassword || userPassword)).subarray(0, 5), pad(userPassword));
  const permissions = -4; // everything allowed
  const p = Buffer.alloc(4);
  p.writeInt32LE(permissions);
  const key = md5(pad(userPassword), owner, p, id).subarray(0, 5);
  const user = rc4(key, PADDING);
  return {
    dictionary: `<< /Filter /Standard /V 1 /R 2 /Length 40 /P ${permissions} /O <${owner.toString('hex')}> /U <${user.toString('hex')}> >>`,
    object(num: number, data: Buffer): Buffer {
      const suffix = Buffer.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, 0, 0]);
      return rc4(md5(key, suffix).subarray(0, 10), data);
    },
  };
}

function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + (s[i] as number) + (key[i % key.length] as number)) & 0xff;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + (s[i] as number)) & 0xff;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
    out[n] = (data[n] as number) ^ (s[((s[i] as number) + (s[j] as number)) & 0xff] as number);
  }
  return out;
}
