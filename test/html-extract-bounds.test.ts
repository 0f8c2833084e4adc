import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { hostilePage } from '../bench/hostile-page.js';
import { extractPage } from '../src/corpus/html-extract.js';
import { blockText, type DomNode } from '../src/corpus/html-text.js';

describe('large and deep pages', () => {
  it('a page nested 10,000 elements deep is read whole, without overflowing the stack', () => {
    const page = extractPage(hostilePage(300, 10_000));
    assert.equal(page.title, 'Harbour board report');
    assert.match(page.text, /Item 300: the harbour dredging cost/);
    assert.match(page.text, /The innermost paragraph closes the report\.$/);
  });

  it('the text walk reads each node once through firstChild/nextSibling, never a childNodes list', () => {
    const { document } = parseHTML(hostilePage(2_000, 500)) as unknown as {
      document: { querySelector(s: string): DomNode };
    };
    const body = document.querySelector('body');
    // linkedom rebuilds childNodes by walking the siblings at every read: reading it per step is quadratic.
    let listed = 0;
    const proto = Object.getPrototypeOf(Object.getPrototypeOf(body));
    const owner = [proto, ...protoChain(proto)].find((p) => Object.getOwnPropertyDescriptor(p, 'childNodes'));
    const original = Object.getOwnPropertyDescriptor(owner, 'childNodes') as PropertyDescriptor;
    Object.defineProperty(owner, 'childNodes', {
      configurable: true,
      get() {
        listed++;
        return original.get?.call(this);
      },
    });
    try {
      const text = blockText(body);
      assert.equal(text.split('\n\n').length, 2_000 + 2, 'heading, every paragraph, the innermost one');
    } finally {
      Object.defineProperty(owner, 'childNodes', original);
    }
    assert.equal(listed, 0);
  });

  it('paragraph breaks and skipped elements come out as before: blocks split, scripts unread', () => {
    const { document } = parseHTML(
      '<html><body><h1>T</h1><div>one <b>bold</b> two<p>three</p>four</div><script>var x = "secret";</script><ul><li>a</li><li>b</li></ul></body></html>',
    ) as unknown as { document: { querySelector(s: string): DomNode } };
    assert.equal(blockText(document.querySelector('body')), 'T\n\none bold two\n\nthree\n\nfour\n\na\n\nb');
  });
});

function protoChain(start: object): object[] {
  const out: object[] = [];
  for (let p = Object.getPrototypeOf(start); p; p = Object.getPrototypeOf(p)) out.push(p);
  return out;
}
