import { deflateRawSync } from 'node:zlib';

/**
 * A small .docx writer for tests, with no Word library: the WordprocessingML parts a minimal document
 * needs, zipped by hand (stored or deflated, CRC-32 computed here), so tests build the files a newsroom
 * gets as an independent check would.
 */

export interface DocxParagraph {
  text: string;
  /** A paragraph style id: `Title`, `Heading1`, `ListParagraph`... */
  style?: string;
  /** Runs in bold (a `w:b` run property); the text is split into runs at `|`. */
  bold?: boolean;
}

export interface DocxOptions {
  /** docProps/core.xml: `title`, `creator`, `created` (W3CDTF), `modified`, `publisher` (`dc:publisher`). */
  core?: { title?: string; creator?: string; created?: string; modified?: string; publisher?: string };
  /** docProps/app.xml `Company`. */
  company?: string;
  /** docProps/custom.xml string properties. */
  custom?: Record<string, string>;
  /** Extra parts, added as they are (e.g. a part that declares entities). */
  extraParts?: Array<{ name: string; data: string | Buffer }>;
  /** Store the parts uncompressed (method 0) instead of deflating them. */
  store?: boolean;
  /** White space added inside word/document.xml (it deflates to almost nothing: a zip bomb). */
  padDocument?: number;
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

export function buildDocx(
  paragraphs: ReadonlyArray<DocxParagraph | string>,
  options: DocxOptions = {},
): Buffer {
  const body = paragraphs
    .map((p) => (typeof p === 'string' ? { text: p } : p))
    .map((p) => {
      const props = p.style ? `<w:pPr><w:pStyle w:val="${p.style}"/></w:pPr>` : '';
      const runs = p.text
        .split('|')
        .map(
          (run) =>
            `<w:r>${p.bold ? '<w:rPr><w:b/></w:rPr>' : ''}<w:t xml:space="preserve">${escapeXml(run)}</w:t></w:r>`,
        )
        .join('');
      return `<w:p>${props}${runs}</w:p>`;
    })
    .join('');
  const overrides = [
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>',
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>',
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>',
    options.custom
      ? '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
      : '',
  ].join('');
  const core = options.core ?? {};
  const parts: Array<{ name: string; data: string | Buffer }> = [
    {
      name: '[Content_Types].xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${overrides}</Types>`,
    },
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>`,
    },
    {
      name: 'word/document.xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>${body}${' '.repeat(options.padDocument ?? 0)}<w:sectPr/></w:body></w:document>`,
    },
    {
      name: 'docProps/core.xml',
      data:
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
        (core.title !== undefined ? `<dc:title>${escapeXml(core.title)}</dc:title>` : '') +
        (core.creator !== undefined ? `<dc:creator>${escapeXml(core.creator)}</dc:creator>` : '') +
        (core.publisher !== undefined ? `<dc:publisher>${escapeXml(core.publisher)}</dc:publisher>` : '') +
        (core.created ? `<dcterms:created xsi:type="dcterms:W3CDTF">${core.created}</dcterms:created>` : '') +
        (core.modified
          ? `<dcterms:modified xsi:type="dcterms:W3CDTF">${core.modified}</dcterms:modified>`
          : '') +
        '</cp:coreProperties>',
    },
    {
      name: 'docProps/app.xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application>${options.company ? `<Company>${escapeXml(options.company)}</Company>` : ''}</Properties>`,
    },
  ];
  if (options.custom) {
    const props = Object.entries(options.custom)
      .map(
        ([name, value], i) =>
          `<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="${i + 2}" name="${escapeXml(name)}"><vt:lpwstr>${escapeXml(value)}</vt:lpwstr></property>`,
      )
      .join('');
    parts.push({
      name: 'docProps/custom.xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">${props}</Properties>`,
    });
  }
  parts.push(...(options.extraParts ?? []));
  return buildZip(parts, { store: options.store });
}

/** A ZIP file of the given parts (deflated unless `store`), with local headers and a central directory. */
export function buildZip(
  parts: ReadonlyArray<{ name: string; data: string | Buffer }>,
  { store = false } = {},
): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const data = typeof part.data === 'string' ? Buffer.from(part.data, 'utf8') : part.data;
    const packed = store ? data : deflateRawSync(data);
    const name = Buffer.from(part.name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(store ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(store ? 0 : 8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
