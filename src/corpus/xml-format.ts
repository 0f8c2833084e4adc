import type { ParsedFile } from './article.js';
import { parseNewsMl } from './newsml-format.js';
import { nitfArticle } from './nitf-format.js';
import { parseXmlTree, XmlError } from './safe-xml.js';

/**
 * An XML file (`.xml`, `.nitf`, `.newsml`), recognised by its root element rather than its name: NITF 3.x
 * (`<nitf>`) or NewsML-G2 (`<newsItem>`, `<newsMessage>`). Parsed without expanding any entity; a document
 * that declares its own is refused. A feed saved as a file, or any other XML, is reported as such.
 */
export function parseXmlArticles(text: string, source: string): ParsedFile {
  const skip = (reason: string): ParsedFile => ({ articles: [], skipped: [{ source, reason }] });
  let root: ReturnType<typeof parseXmlTree>;
  try {
    root = parseXmlTree(text);
  } catch (error) {
    if (error instanceof XmlError) return skip(error.message);
    throw error;
  }
  if (root.name === 'nitf') {
    const article = nitfArticle(root, source);
    return typeof article === 'string' ? skip(article) : { articles: [article], skipped: [] };
  }
  if (root.name === 'newsItem' || root.name === 'newsMessage') return parseNewsMl(root, source);
  if (['rss', 'feed', 'RDF'].includes(root.name))
    return skip('an RSS or Atom feed, not an article: list it in the feeds file (or /feeds add) instead');
  return skip(`XML that is neither NITF nor NewsML-G2 (its root is <${root.name}>)`);
}
