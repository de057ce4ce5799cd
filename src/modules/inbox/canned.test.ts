import { describe, expect, it } from 'vitest';
import { renderCanned, serviceIdsIn } from './canned.ts';

const SERVICE = '6f1c2a44-1b2c-4d3e-8f90-123456789abc';

describe('canned response rendering', () => {
  it('fills every variable', () => {
    const out = renderCanned('Hei {{resident_name}}! Olen {{agent_name}}. Viite {{reference}}: {{service_link:' + SERVICE + '}}', {
      residentName: 'Maija',
      agentName: 'Antti',
      reference: 10023,
      serviceLinks: { [SERVICE]: 'https://esimerkkila.fi/fi/services/' + SERVICE },
    });
    expect(out).toBe(`Hei Maija! Olen Antti. Viite #10023: https://esimerkkila.fi/fi/services/${SERVICE}`);
  });

  it('renders a missing value as nothing and tidies the spacing, never {{…}}', () => {
    const out = renderCanned('Hei {{resident_name}}, kiitos.  Palvelu: {{service_link:' + SERVICE + '}}\nTerveisin {{ agent_name }}', {});
    expect(out).toBe('Hei, kiitos. Palvelu:\nTerveisin');
    expect(out).not.toContain('{{');
  });

  it('drops unknown and malformed variables', () => {
    expect(renderCanned('A {{unknown}} B {{service_link:not-a-uuid}} C {{broken', {})).toBe('A B C {{broken');
    expect(renderCanned('{{reference}}', { reference: null })).toBe('');
  });

  it('keeps line breaks and finds the services a body links to', () => {
    expect(renderCanned('Rivi 1\n\nRivi 2', {})).toBe('Rivi 1\n\nRivi 2');
    expect(serviceIdsIn(`{{service_link:${SERVICE}}} {{service_link:${SERVICE.toUpperCase()}}} {{service_link:x}}`)).toEqual([SERVICE]);
  });
});
