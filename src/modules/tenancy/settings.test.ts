import { describe, expect, it } from 'vitest';
import { parse } from '../../platform/validation.ts';
import { applySettingsInput, changedFields, tenantSettingsInput, type TenantSettings } from './settings.ts';

const current: TenantSettings = {
  names: { fi: 'Esimerkkilä', sv: 'Exempelby' },
  languages: ['fi', 'sv'],
  defaultLanguage: 'fi',
  theme: { primary: '#00477f', accent: '#ffc61e', logoUrl: '/logo.svg' },
  contact: { phone: '+358 9 1', email: 'a@b.fi', address: { fi: 'Tie 1', sv: 'Vägen 1' } },
  accessibilityStatement: { fi: 'Seloste', sv: 'Utlåtande' },
  privacyNotice: { fi: 'Tietosuoja' },
};

describe('tenant settings input', () => {
  it('changes only the given languages of a localized field and clears with an empty string', () => {
    const input = parse(tenantSettingsInput, { accessibilityStatement: { sv: 'Nytt\r\n\r\nstycke ' }, contact: { address: { sv: '' }, phone: '' } });
    const after = applySettingsInput(current, input);
    expect(after.accessibilityStatement).toEqual({ fi: 'Seloste', sv: 'Nytt\n\nstycke' });
    expect(after.contact).toEqual({ email: 'a@b.fi', address: { fi: 'Tie 1' } });
    expect(changedFields(current, after)).toEqual(['contact.address', 'contact.phone', 'accessibilityStatement.sv']);
  });

  it('treats a reordered language list as no change', () => {
    const after = applySettingsInput(current, parse(tenantSettingsInput, { languages: ['sv', 'fi'], theme: { logoUrl: '/logo.svg' } }));
    expect(changedFields(current, after)).toEqual([]);
  });

  it('names each invalid field', () => {
    expect(() => parse(tenantSettingsInput, { contact: { email: 'nope', phone: 'call me' }, languages: [] })).toThrow(
      expect.objectContaining({ details: { fields: { 'contact.email': 'email', 'contact.phone': 'phone', languages: 'at_least_one' } } }),
    );
  });
});
