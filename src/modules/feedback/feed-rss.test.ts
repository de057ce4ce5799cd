import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { excerpt, feedbackRss, xmlText } from './feed-rss.ts';
import type { PublicCase } from './model.ts';
import { filterCategory, filterPage, formatPublicDate, osmUrl, publicStatusName } from './public-feed.ts';

const item = (over: Partial<PublicCase> = {}): PublicCase => ({
  id: '00000000-0000-4000-8000-000000000001',
  number: 1000,
  categoryCode: 'pothole',
  categoryNames: { fi: 'Katuvaurio', sv: 'Gatuskada' },
  status: 'resolved',
  description: 'Kuoppa',
  answer: 'Paikattu',
  address: 'Hämeenkatu 1',
  lat: 61.5,
  lon: 23.7,
  createdAt: '2026-11-01T08:00:00.000Z',
  updatedAt: '2026-11-02T08:00:00.000Z',
  publishedAt: '2026-11-02T09:30:00.000Z',
  ...over,
});

const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (n) => n === 'item' }).parse(xml);

describe('feedback RSS', () => {
  it('drops characters XML 1.0 forbids and escapes the five specials', () => {
    expect(xmlText('a\u0000b\u0007c\uFFFEd\uD800e')).toBe('abcde');
    expect(xmlText('😀 tab\there')).toBe('😀 tab\there');
    expect(xmlText(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&apos;');
  });

  it('cuts titles at a word boundary', () => {
    expect(excerpt('lyhyt')).toBe('lyhyt');
    const long = 'sana '.repeat(40);
    const e = excerpt(long, 30);
    expect(e.length).toBeLessThanOrEqual(30);
    expect(e.endsWith('sana…')).toBe(true);
    expect(excerpt('  rivi\n\nrivi  ')).toBe('rivi rivi');
  });

  it('is valid RSS 2.0 whose descriptions are HTML-escaped plain text', () => {
    const xml = feedbackRss({
      lang: 'sv',
      fallback: 'fi',
      origin: 'https://kunta.example',
      tenantNames: { fi: 'Kunta', sv: 'Kommun' },
      items: [item({ description: '<script>alert(1)</script> ]]> & "q"', answer: '<b>svar</b>', categoryNames: { fi: 'Vain suomeksi' } })],
    });
    expect(XMLValidator.validate(xml)).toBe(true);
    const ch = parse(xml).rss.channel;
    expect(ch.title).toBe('Respons och svar – Kommun');
    expect(ch.lastBuildDate).toBe('Mon, 02 Nov 2026 09:30:00 GMT');
    const it0 = ch.item[0];
    expect(it0.guid['#text']).toBe('https://kunta.example/sv/feedback/1000');
    expect(it0.category).toBe('Vain suomeksi');
    expect(it0.description).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; &quot;q&quot;\n\nStatus: Löst\n\nSvar: &lt;b&gt;svar&lt;/b&gt;\n\nPlats: Hämeenkatu 1',
    );
    expect(xml).not.toContain('<script');
    // Titles too: no markup once the XML is read, whatever the reader makes of the title.
    expect(it0.title).toBe('Vain suomeksi (nr 1000): &lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; & "q"');
  });

  it('an empty feed is still a valid channel', () => {
    const xml = feedbackRss({ lang: 'fi', fallback: 'fi', origin: 'http://x.localhost', tenantNames: { fi: 'X' }, items: [] });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(parse(xml).rss.channel.item).toBeUndefined();
  });
});

describe('public feed helpers', () => {
  it('speaks of the waiting status without "you"', () => {
    expect(publicStatusName('waiting_for_resident', 'fi')).toBe('Odottaa lisätietoja');
    expect(publicStatusName('resolved', 'en')).toBe('Resolved');
  });

  it('accepts only plausible query values', () => {
    expect(filterCategory('street-light')).toBe('street-light');
    expect(filterCategory('<x>')).toBeUndefined();
    expect(filterCategory('')).toBeUndefined();
    expect(filterPage('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'x', null, '99999999']) expect(filterPage(bad)).toBe(1);
  });

  it('dates in Finnish local time; OSM links at the point', () => {
    expect(formatPublicDate('2026-11-25T23:30:00Z', 'fi')).toBe('26.11.2026');
    expect(formatPublicDate('2026-11-25T10:00:00Z', 'en')).toBe('25 Nov 2026');
    expect(osmUrl(61.4981, 23.7608)).toBe('https://www.openstreetmap.org/?mlat=61.49810&mlon=23.76080#map=17/61.49810/23.76080');
  });
});
