import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import type { Queryable } from '../../platform/db.ts';
import type { Localized } from '../../platform/i18n.ts';

/**
 * Esimerkkilä's press room: three press contacts and two press images drawn in code (no
 * downloads, no binary files in the repository). The first image also illustrates the
 * winter maintenance news, so lists, the item page and the feeds' enclosures show one.
 * Runs once per tenant (skipped when it has press contacts).
 */
export async function seedDemoPressRoom(tx: Queryable, tenantId: string, slug: string): Promise<void> {
  if (slug !== 'esimerkkila') return;
  if ((await tx.query('select 1 from press_contacts where tenant_id = $1 limit 1', [tenantId])).rows.length) return;
  const people: [string, Localized, string, string, string[]][] = [
    ['Tiina Tiedottaja', { fi: 'Viestintäjohtaja', sv: 'Kommunikationsdirektör', en: 'Director of Communications' }, '+358 40 123 4567', 'viestinta@esimerkkila.fi', []],
    [
      'Kalle Kasvattaja',
      { fi: 'Varhaiskasvatusjohtaja', sv: 'Direktör för småbarnspedagogik', en: 'Director of Early Education' },
      '+358 40 765 4321',
      'varhaiskasvatus@esimerkkila.fi',
      ['varhaiskasvatus'],
    ],
    ['Kerttu Katu', { fi: 'Kaupungininsinööri', sv: 'Stadsingenjör', en: 'City Engineer' }, '+358 50 555 0101', 'kadut@esimerkkila.fi', ['liikenne', 'hairiot']],
  ];
  for (const [i, [name, title, phone, email, topics]] of people.entries()) {
    await tx.query(`insert into press_contacts (tenant_id, name, title, phone, email, topics, position) values ($1, $2, $3, $4, $5, $6, $7)`, [
      tenantId,
      name,
      JSON.stringify(title),
      phone,
      email,
      topics,
      i,
    ]);
  }
  const winterItem = await tx.query<{ id: string }>(`select id from news_items where tenant_id = $1 and slug = 'talvikunnossapito-kaynnistyy'`, [tenantId]);
  const images: { itemId: string | null; filename: string; png: Buffer; alt: Localized; caption: Localized; credit: string; license: string }[] = [
    {
      itemId: winterItem.rows[0]?.id ?? null,
      filename: 'talvinen-katu.png',
      png: drawScene('winter'),
      alt: { fi: 'Lumiaura luistaa lumisella kadulla sinisen taivaan alla.', sv: 'En snöplog på en snöig gata under blå himmel.', en: 'A snow plough on a snowy street under a blue sky.' },
      caption: { fi: 'Pääkadut aurataan ensin.', sv: 'Huvudgatorna plogas först.', en: 'Main streets are cleared first.' },
      credit: 'Esimerkkilän kaupunki',
      license: 'CC BY 4.0',
    },
    {
      itemId: null,
      filename: 'kaupungintalo.png',
      png: drawScene('hall'),
      alt: { fi: 'Punatiilinen kaupungintalo ja sen edessä puisto kesällä.', sv: 'Det röda stadshuset i tegel och parken framför det på sommaren.', en: 'The red-brick city hall with the park in front of it in summer.' },
      caption: { fi: 'Esimerkkilän kaupungintalo.', sv: 'Stadshuset i Exempelby.', en: 'Esimerkkilä city hall.' },
      credit: 'Esimerkkilän kaupunki / Viestintä',
      license: 'CC BY 4.0',
    },
  ];
  for (const [i, img] of images.entries()) {
    await tx.query(
      `insert into news_media (tenant_id, item_id, kind, filename, content_type, bytes, size, sha256, alt, caption, credit, license, in_image_bank, position)
       values ($1, $2, 'image', $3, 'image/png', $4, $5, $6, $7, $8, $9, $10, true, $11)`,
      [
        tenantId,
        img.itemId,
        img.filename,
        img.png,
        img.png.byteLength,
        createHash('sha256').update(img.png).digest('hex'),
        JSON.stringify(img.alt),
        JSON.stringify(img.caption),
        img.credit,
        img.license,
        i,
      ],
    );
  }
}

/** A small flat-colour illustration as a valid PNG (RGB, 8 bits), 480×300. */
export function drawScene(scene: 'winter' | 'hall', width = 480, height = 300): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b] = scene === 'winter' ? winterPixel(x, y, width, height) : hallPixel(x, y, width, height);
      const o = row + 1 + x * 3;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

type Rgb = [number, number, number];

function winterPixel(x: number, y: number, w: number, h: number): Rgb {
  const horizon = h * 0.55;
  // The plough: an orange body with a dark blade, on the road.
  if (x > w * 0.55 && x < w * 0.8 && y > h * 0.5 && y < h * 0.72) return y < h * 0.58 && x > w * 0.68 ? [40, 60, 90] : [235, 120, 20];
  if (x > w * 0.48 && x < w * 0.56 && y > h * 0.62 && y < h * 0.76) return [50, 50, 55];
  if (y < horizon) {
    const sun = Math.hypot(x - w * 0.2, y - h * 0.2) < h * 0.08;
    return sun ? [255, 240, 200] : [Math.round(90 + (y / horizon) * 90), Math.round(150 + (y / horizon) * 60), 235];
  }
  // Snow banks either side of a grey road.
  const road = Math.abs(x - w / 2) < (y - horizon) * 1.6 + 20;
  return road ? [170, 175, 185] : [245, 248, 252];
}

function hallPixel(x: number, y: number, w: number, h: number): Rgb {
  const ground = h * 0.72;
  const hall = x > w * 0.25 && x < w * 0.75 && y > h * 0.25 && y < ground;
  if (x > w * 0.45 && x < w * 0.55 && y > h * 0.08 && y < h * 0.25) return [150, 50, 40]; // tower
  if (hall) {
    const window = (Math.floor((x - w * 0.25) / (w * 0.0625)) % 2 === 1 && Math.floor((y - h * 0.25) / (h * 0.09)) % 2 === 1) as boolean;
    return window ? [250, 235, 170] : [170, 60, 45];
  }
  if (y >= ground) return Math.hypot(x - w * 0.15, y - h * 0.85) < h * 0.1 ? [30, 110, 50] : [90, 170, 80];
  return [150, 200, 240];
}
