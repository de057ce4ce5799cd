import type { Queryable } from '../../platform/db.ts';
import type { Localized } from '../../platform/i18n.ts';
import { addressSearchText } from '../../modules/feedback/places.ts';

/**
 * A believable address register for the demo tenants, so that the feedback form's address
 * search, server-side geocoding and "nearest address" work out of the box. Esimerkkilä is
 * bilingual (fi + sv street names) and its centre is where the demo catalog's units are
 * (around 60.401 N, 24.911 E); every unit's own address is in the register with the unit's
 * coordinates. Järvikylä is Finnish-only and smaller. Generated deterministically: streets
 * run straight from a start point in a direction, odd numbers on one side, even on the other.
 */

interface Street {
  fi: string;
  sv?: string;
  postal: string;
  /** Start of the street (number 1). */
  lat: number;
  lon: number;
  /** Bearing in degrees (0 = north, 90 = east). */
  bearing: number;
  /** Highest house number. */
  to: number;
  /** Metres between consecutive numbers on one side. */
  step?: number;
}

interface Fixed {
  fi: string;
  number: string;
  lat: number;
  lon: number;
}

const ESIMERKKILA: Street[] = [
  { fi: 'Raatihuoneenkatu', sv: 'Rådhusgatan', postal: '00990', lat: 60.4012, lon: 24.9087, bearing: 80, to: 24 },
  { fi: 'Koulukatu', sv: 'Skolgatan', postal: '00990', lat: 60.4018, lon: 24.9108, bearing: 20, to: 30 },
  { fi: 'Kirjastonkatu', sv: 'Biblioteksgatan', postal: '00990', lat: 60.4005, lon: 24.9058, bearing: 70, to: 16 },
  { fi: 'Museokatu', sv: 'Museigatan', postal: '00990', lat: 60.4024, lon: 24.9035, bearing: 45, to: 20 },
  { fi: 'Torikatu', sv: 'Torggatan', postal: '00990', lat: 60.3996, lon: 24.9088, bearing: 60, to: 22 },
  { fi: 'Asemakatu', sv: 'Stationsgatan', postal: '00990', lat: 60.3996, lon: 24.9132, bearing: 120, to: 30 },
  { fi: 'Kauppakatu', sv: 'Handelsgatan', postal: '00990', lat: 60.4007, lon: 24.9107, bearing: 75, to: 28 },
  { fi: 'Satamakatu', sv: 'Hamngatan', postal: '00990', lat: 60.3931, lon: 24.9034, bearing: 30, to: 20 },
  { fi: 'Sairaalantie', sv: 'Sjukhusvägen', postal: '00990', lat: 60.4072, lon: 24.8962, bearing: 300, to: 12 },
  { fi: 'Hämeenkatu', sv: 'Tavastgatan', postal: '00990', lat: 60.3985, lon: 24.9005, bearing: 85, to: 60, step: 18 },
  { fi: 'Puistokatu', sv: 'Parkgatan', postal: '00990', lat: 60.4040, lon: 24.9060, bearing: 100, to: 36 },
  { fi: 'Rantakatu', sv: 'Strandgatan', postal: '00990', lat: 60.3940, lon: 24.9080, bearing: 70, to: 40 },
  { fi: 'Kirkkokatu', sv: 'Kyrkogatan', postal: '00990', lat: 60.4050, lon: 24.9120, bearing: 190, to: 26 },
  { fi: 'Tehtaankatu', sv: 'Fabriksgatan', postal: '00992', lat: 60.3960, lon: 24.9180, bearing: 60, to: 32 },
  { fi: 'Uimahallintie', sv: 'Simhallsvägen', postal: '00992', lat: 60.3955, lon: 24.9195, bearing: 40, to: 9 },
  { fi: 'Urheilutie', sv: 'Idrottsvägen', postal: '00992', lat: 60.3965, lon: 24.9220, bearing: 50, to: 18 },
  { fi: 'Koivutie', sv: 'Björkvägen', postal: '00992', lat: 60.3920, lon: 24.9250, bearing: 10, to: 24, step: 25 },
  { fi: 'Mäntytie', sv: 'Tallvägen', postal: '00992', lat: 60.3915, lon: 24.9290, bearing: 350, to: 20, step: 25 },
  { fi: 'Pajakatu', sv: 'Smedjegatan', postal: '00990', lat: 60.4030, lon: 24.9150, bearing: 95, to: 18 },
  { fi: 'Kirkkotie', sv: 'Kyrkvägen', postal: '00994', lat: 60.4320, lon: 24.8700, bearing: 30, to: 40, step: 30 },
  { fi: 'Pappilantie', sv: 'Prästgårdsvägen', postal: '00994', lat: 60.4300, lon: 24.8750, bearing: 120, to: 22, step: 30 },
  { fi: 'Myllymäentie', sv: 'Kvarnbacksvägen', postal: '00996', lat: 60.4170, lon: 24.9380, bearing: 60, to: 40, step: 25 },
  { fi: 'Peltotie', sv: 'Åkervägen', postal: '00996', lat: 60.4150, lon: 24.9450, bearing: 150, to: 30, step: 30 },
  { fi: 'Kalliotie', sv: 'Bergsvägen', postal: '00996', lat: 60.4120, lon: 24.9300, bearing: 20, to: 16, step: 30 },
  { fi: 'Kaupungintalontie', sv: 'Stadshusvägen', postal: '00100', lat: 60.4010, lon: 24.9075, bearing: 0, to: 6 },
];

/** The demo catalog's unit addresses, at the units' own coordinates. */
const ESIMERKKILA_UNITS: Fixed[] = [
  { fi: 'Raatihuoneenkatu', number: '1', lat: 60.4012, lon: 24.9087 },
  { fi: 'Koulukatu', number: '4', lat: 60.4021, lon: 24.9115 },
  { fi: 'Kirjastonkatu', number: '2', lat: 60.4007, lon: 24.9063 },
  { fi: 'Kirkkotie', number: '15', lat: 60.4333, lon: 24.8712 },
  { fi: 'Uimahallintie', number: '3', lat: 60.3958, lon: 24.9201 },
  { fi: 'Urheilutie', number: '10', lat: 60.3972, lon: 24.9236 },
  { fi: 'Museokatu', number: '5', lat: 60.403, lon: 24.9042 },
  { fi: 'Torikatu', number: '8', lat: 60.4001, lon: 24.9098 },
  { fi: 'Asemakatu', number: '14', lat: 60.3989, lon: 24.915 },
  { fi: 'Kauppakatu', number: '10', lat: 60.4016, lon: 24.9129 },
  { fi: 'Myllymäentie', number: '20', lat: 60.4189, lon: 24.9412 },
  { fi: 'Sairaalantie', number: '2', lat: 60.4075, lon: 24.8954 },
  { fi: 'Asemakatu', number: '3', lat: 60.3994, lon: 24.9139 },
  { fi: 'Kauppakatu', number: '2', lat: 60.4009, lon: 24.9111 },
  { fi: 'Satamakatu', number: '1', lat: 60.3931, lon: 24.9034 },
];

const JARVIKYLA: Street[] = [
  { fi: 'Rantatie', postal: '71234', lat: 62.9005, lon: 27.6802, bearing: 70, to: 40, step: 25 },
  { fi: 'Kirkkotie', postal: '71234', lat: 62.9021, lon: 27.6760, bearing: 10, to: 24, step: 30 },
  { fi: 'Koulutie', postal: '71234', lat: 62.9040, lon: 27.6850, bearing: 100, to: 16, step: 30 },
  { fi: 'Järventie', postal: '71234', lat: 62.8985, lon: 27.6900, bearing: 40, to: 30, step: 30 },
  { fi: 'Metsätie', postal: '71234', lat: 62.9070, lon: 27.6700, bearing: 140, to: 20, step: 35 },
];

const REGISTERS: Record<string, { streets: Street[]; fixed: Fixed[]; postOffice: Localized }> = {
  esimerkkila: { streets: ESIMERKKILA, fixed: ESIMERKKILA_UNITS, postOffice: { fi: 'ESIMERKKILÄ', sv: 'EXEMPELBY' } },
  jarvikyla: { streets: JARVIKYLA, fixed: [], postOffice: { fi: 'JÄRVIKYLÄ' } },
};

export interface DemoAddress {
  street: Localized;
  houseNumber: string;
  postalCode: string;
  postOffice: Localized;
  lat: number;
  lon: number;
}

const M_PER_DEG_LAT = 111_320;

/** The register of one demo tenant; [] for others. */
export function demoAddresses(slug: string): DemoAddress[] {
  const reg = REGISTERS[slug];
  if (!reg) return [];
  const out: DemoAddress[] = [];
  for (const s of reg.streets) {
    const step = s.step ?? 20;
    const rad = (s.bearing * Math.PI) / 180;
    const mPerDegLon = M_PER_DEG_LAT * Math.cos((s.lat * Math.PI) / 180);
    const street: Localized = s.sv ? { fi: s.fi, sv: s.sv } : { fi: s.fi };
    for (let n = 1; n <= s.to; n++) {
      const fixed = reg.fixed.find((f) => f.fi === s.fi && f.number === String(n));
      // Along the street by the pair index; odd numbers 12 m to the left, even 12 m to the right.
      const along = Math.floor((n - 1) / 2) * step;
      const side = n % 2 === 1 ? -12 : 12;
      const north = along * Math.cos(rad) - side * Math.sin(rad);
      const east = along * Math.sin(rad) + side * Math.cos(rad);
      out.push({
        street,
        houseNumber: String(n),
        postalCode: s.postal,
        postOffice: reg.postOffice,
        lat: fixed?.lat ?? round(s.lat + north / M_PER_DEG_LAT),
        lon: fixed?.lon ?? round(s.lon + east / mPerDegLon),
      });
    }
  }
  return out;
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** Idempotent: a tenant that already has addresses keeps them (an imported register wins). */
export async function seedDemoAddresses(tx: Queryable, tenantId: string, slug: string): Promise<void> {
  const has = await tx.query('select 1 from geo_addresses where tenant_id = $1 limit 1', [tenantId]);
  if (has.rows.length) return;
  const rows = demoAddresses(slug);
  // Batches keep the statement's parameter count well under the protocol limit.
  for (let i = 0; i < rows.length; i += 200) {
    const batch = rows.slice(i, i + 200);
    const params: unknown[] = [];
    const values = batch.map((a) => {
      params.push(tenantId, JSON.stringify(a.street), a.houseNumber, a.postalCode, JSON.stringify(a.postOffice), a.lat, a.lon, addressSearchText(a.street, a.houseNumber));
      const b = params.length - 8;
      return `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8})`;
    });
    await tx.query(
      `insert into geo_addresses (tenant_id, street, house_number, postal_code, post_office, lat, lon, search_text) values ${values.join(',')}`,
      params,
    );
  }
}
