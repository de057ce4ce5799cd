import { describe, expect, it } from 'vitest';
import { isAllowedHref, sanitizeRichText } from './sanitize.ts';

describe('sanitizeRichText', () => {
  it('keeps the allowlisted structure', () => {
    const html = '<h2>Otsikko</h2><p>Teksti <strong>vahva</strong> <em>kursiivi</em><br>rivi</p><ul><li>a</li></ul><ol><li>b</li></ol><blockquote>lainaus</blockquote><h3>x</h3><h4>y</h4>';
    expect(sanitizeRichText(html)).toBe(html.replace('<br>', '<br />'));
  });

  const vectors: [string, string][] = [
    ['<p>hi<script>alert(1)</script></p>', '<p>hi</p>'],
    ['<script src="//evil.example/x.js"></script>', ''],
    ['<style>body{display:none}</style><p>x</p>', '<p>x</p>'],
    ['<img src=x onerror=alert(1)>', ''],
    ['<svg onload=alert(1)><script>alert(1)</script></svg>', ''],
    ['<iframe src="https://evil.example">inside</iframe>', ''],
    ['<p onclick="alert(1)" style="color:red" class="x" id="y">t</p>', '<p>t</p>'],
    ['<a href="javascript:alert(1)">x</a>', 'x'],
    ['<a href=" JaVaScRiPt:alert(1)">x</a>', 'x'],
    ['<a href="jav&#x09;ascript:alert(1)">x</a>', 'x'],
    ['<a href="&#106;avascript:alert(1)">x</a>', 'x'],
    ['<a href="data:text/html;base64,PHNjcmlwdD4=">d</a>', 'd'],
    ['<a href="vbscript:msgbox(1)">v</a>', 'v'],
    ['<a href="//evil.example/">e</a>', 'e'],
    ['<a href="https://example.fi" target="_blank" onmouseover="x">e</a>', '<a href="https://example.fi" rel="noopener noreferrer">e</a>'],
    ['<a href="mailto:kirjaamo@esimerkkila.fi">m</a>', '<a href="mailto:kirjaamo@esimerkkila.fi">m</a>'],
    ['<a href="tel:+358401234567">p</a>', '<a href="tel:+358401234567">p</a>'],
    ['<a href="/fi/pages/asiointi">r</a>', '<a href="/fi/pages/asiointi">r</a>'],
    ['<form action="https://evil.example"><input name="p"><button>Go</button></form>', 'Go'],
    ['<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', ''],
    ['<noscript><p title="</noscript><img src=x onerror=alert(1)>">', ''],
    ['<p>a &lt;script&gt; b</p>', '<p>a &lt;script&gt; b</p>'],
    ['<h1>Otsikko</h1><b>b</b><i>i</i>', '<h2>Otsikko</h2><strong>b</strong><em>i</em>'],
  ];
  for (const [input, expected] of vectors) {
    it(`neutralises ${input}`, () => {
      const out = sanitizeRichText(input);
      expect(out).toBe(expected);
      expect(out).not.toMatch(/<script|onerror|onload|onclick|javascript:|<img|<iframe|<svg|style=/i);
    });
  }

  it('never produces a tag outside the allowlist, whatever the nesting', () => {
    const out = sanitizeRichText('<scr<script>ipt>alert(1)</script><div><p>ok</p></div>');
    const tags = [...out.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1].toLowerCase());
    expect(tags.every((t) => ['p', 'h2', 'h3', 'h4', 'ul', 'ol', 'li', 'a', 'strong', 'em', 'br', 'blockquote'].includes(t))).toBe(true);
    expect(out).toContain('<p>ok</p>');
  });
});

describe('isAllowedHref', () => {
  it('accepts http(s), mailto, tel and relative links only', () => {
    for (const ok of ['https://a.fi', 'http://a.fi/x', 'mailto:a@b.fi', 'tel:+358', '/fi/x', 'x/y', '#top', '?q=1']) expect(isAllowedHref(ok), ok).toBe(true);
    for (const bad of ['', 'javascript:x', 'data:x', '//a.fi', 'ftp://a.fi', 'file:///etc/passwd']) expect(isAllowedHref(bad), bad).toBe(false);
  });
});
