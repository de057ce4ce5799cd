import { IdentificationError, type CompleteInput, type CompleteResult, type StartInput, type StrongIdentityAdapter, type VerifiedPerson } from './identity.ts';

/**
 * Test persons as in Suomi.fi's test environment: personal identity codes with
 * individual numbers 900–999 (reserved for test and temporary identities) and valid
 * check characters (src/modules/identity/hetu.test.ts proves them).
 */
export const TEST_PERSONS: readonly VerifiedPerson[] = [
  { nationalId: '210281-9988', givenName: 'Nordea', familyName: 'Demo' },
  { nationalId: '010280-952L', givenName: 'Sanna', familyName: 'Testinen' },
  { nationalId: '081181-9984', givenName: 'Matti', familyName: 'Meikäläinen' },
  { nationalId: '311299-999E', givenName: 'Lisa', familyName: 'Exempel' },
  { nationalId: '020202A9568', givenName: 'Aino', familyName: 'Nuorinen' },
];

/**
 * The built-in development identity provider: a page in Aukio itself where the tester
 * picks a test person. On only when DEV_IDP is true (never by default in production);
 * it is a real part of the embedded default, so residents' pages can be tried out
 * without a Suomi.fi contract.
 */
export class DevIdentityAdapter implements StrongIdentityAdapter {
  readonly method = 'dev_idp' as const;
  readonly persons = TEST_PERSONS;

  async start({ relay }: StartInput) {
    const q = new URLSearchParams({ next: relay.next });
    return { redirectUrl: `/${relay.lang}/dev-idp?${q}` };
  }

  async complete({ form }: CompleteInput): Promise<CompleteResult> {
    const person = TEST_PERSONS.find((p) => p.nationalId === form.person);
    if (!person) throw new IdentificationError('dev_idp: unknown test person');
    return { person, relay: { lang: form.lang, next: form.next } };
  }
}
