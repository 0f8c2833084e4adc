import { toAuthor, toIsoDate, toLine, toUrl } from './fields.js';
import { parseXmlTree, type XmlElement } from './safe-xml.js';
import { childOf, childrenOf, textOf } from './xml-text.js';

/** What a Word document's properties say about it. */
export interface DocxProperties {
  title: string | null;
  date: string | null;
  author: string | null;
  outlet: string | null;
  url: string | null;
}

/** Titles Word and its templates leave behind, which name nothing. */
const PLACEHOLDER_TITLE = /^(?:untitled.*|document\d*|title|.*\.docx?)$/i;

/**
 * The document properties (`docProps/core.xml`: `dc:title`, `dc:creator`, `dcterms:created`, else
 * `dcterms:modified`, an http(s) `dc:identifier`; `docProps/app.xml`: `Company`; `docProps/custom.xml`: a
 * `Publisher`, `Outlet` or `Source` property, which wins over a `dc:publisher` and the company). Missing or unreadable parts
 * give nulls: properties are optional in a .docx.
 */
export function readDocxProperties(parts: ReadonlyMap<string, string>): DocxProperties {
  const core = tree(parts.get('docProps/core.xml'));
  const app = tree(parts.get('docProps/app.xml'));
  const custom = customProperties(tree(parts.get('docProps/custom.xml')));
  const title = toLine(textOf(childOf(core, 'title')));
  return {
    title: title && !PLACEHOLDER_TITLE.test(title) ? title : null,
    date: toIsoDate(textOf(childOf(core, 'created'))) ?? toIsoDate(textOf(childOf(core, 'modified'))),
    author: toAuthor(textOf(childOf(core, 'creator'))),
    outlet:
      toLine(custom.get('publisher') ?? custom.get('outlet') ?? custom.get('source') ?? null) ??
      toLine(textOf(childOf(core, 'publisher'))) ??
      toLine(textOf(childOf(app, 'Company'))),
    url: toUrl(textOf(childOf(core, 'identifier'))) ?? toUrl(custom.get('url') ?? null),
  };
}

function tree(xml: string | undefined): XmlElement | null {
  if (!xml) return null;
  try {
    return parseXmlTree(xml);
  } catch {
    return null;
  }
}

/** Custom properties by lower-case name: `<property name="Publisher"><vt:lpwstr>…</vt:lpwstr></property>`. */
function customProperties(root: XmlElement | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const property of childrenOf(root, 'property')) {
    const name = property.attrs.name?.toLowerCase();
    const value = textOf(property);
    if (name && value && !out.has(name)) out.set(name, value);
  }
  return out;
}
