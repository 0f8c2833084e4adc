/**
 * Readable text from a parsed HTML tree (linkedom): one paragraph per block element, inline markup
 * flattened, whitespace collapsed. Scripts, styles and embedded objects are skipped: page code is never
 * run, and never read as text either.
 */

/** The few DOM members used here (linkedom's nodes have them; no DOM lib in this project). */
export interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  /** Children as a list. linkedom builds a new list on every read: walk with firstChild/nextSibling. */
  childNodes: ArrayLike<DomNode>;
  firstChild: DomNode | null;
  nextSibling: DomNode | null;
  getAttribute?(name: string): string | null;
}

/** Nodes visited at most by one walk: a page past it is cut off there (its text so far is kept). */
export const MAX_WALK_NODES = 2_000_000;

const BLOCKS = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'DD',
  'DIV',
  'DL',
  'DT',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'TABLE',
  'TD',
  'TH',
  'TR',
  'UL',
  'BR',
]);
const SKIPPED = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'SVG',
  'CANVAS',
  'FORM',
  'BUTTON',
  'SELECT',
  'TEXTAREA',
  'HEAD',
  'TITLE',
  'META',
  'LINK',
]);
const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

/**
 * The paragraphs under `root`. One pass over the tree in document order with an explicit stack (no
 * recursion, so any depth of nesting is fine), each node visited once through firstChild/nextSibling,
 * so the cost is linear in the page; at most `maxNodes` nodes are visited.
 */
export function blockText(root: DomNode, maxNodes = MAX_WALK_NODES): string {
  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = () => {
    const text = current.join('').replace(/\s+/g, ' ').trim();
    if (text) paragraphs.push(text);
    current = [];
  };
  // Each entry: the next node to visit at that level, and whether its parent is a block (flushed after).
  const stack: Array<{ node: DomNode | null; closesBlock: boolean }> = [];
  let visited = 0;
  const enter = (node: DomNode): void => {
    visited++;
    if (node.nodeType === TEXT_NODE) {
      current.push(node.textContent ?? '');
      return;
    }
    if (node.nodeType !== ELEMENT_NODE && node.nodeType !== 9 && node.nodeType !== 11) return;
    const name = node.nodeName.toUpperCase();
    if (SKIPPED.has(name)) return;
    const block = BLOCKS.has(name);
    if (block) flush();
    stack.push({ node: node.firstChild, closesBlock: block });
  };
  enter(root);
  while (stack.length > 0 && visited < maxNodes) {
    const top = stack[stack.length - 1] as { node: DomNode | null; closesBlock: boolean };
    const node = top.node;
    if (node === null) {
      stack.pop();
      if (top.closesBlock) flush();
      continue;
    }
    top.node = node.nextSibling;
    enter(node);
  }
  flush();
  return paragraphs.join('\n\n');
}

/** How big and how deep a tree is, counted up to the limits (the walk stops once one is passed). */
export interface TreeShape {
  elements: number;
  depth: number;
  /** True when the tree has more elements or deeper nesting than the limits. */
  over: boolean;
}

/** Counts elements and nesting depth under `root` in one linear pass, stopping past either limit. */
export function treeShape(root: DomNode, limits: { maxElements: number; maxDepth: number }): TreeShape {
  let elements = 0;
  let depth = 0;
  const stack: Array<DomNode | null> = [root.firstChild];
  while (stack.length > 0) {
    const node = stack[stack.length - 1] as DomNode | null;
    if (node === null) {
      stack.pop();
      continue;
    }
    stack[stack.length - 1] = node.nextSibling;
    if (node.nodeType !== ELEMENT_NODE) continue;
    elements++;
    depth = Math.max(depth, stack.length);
    if (elements > limits.maxElements || depth > limits.maxDepth) return { elements, depth, over: true };
    stack.push(node.firstChild);
  }
  return { elements, depth, over: false };
}
