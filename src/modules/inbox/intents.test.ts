import { describe, expect, it } from 'vitest';
import { detectIntent, normalizeIntentText, saysHello, saysNotHelpful, saysThanks, wantsPerson } from './intents.ts';

describe('wantsPerson', () => {
  it.each([
    'haluan puhua ihmisen kanssa',
    'Haluan puhua IHMISEN kanssa!',
    'Voinko puhua asiakaspalvelijan kanssa?',
    'asiakaspalvelija',
    'oikea ihminen kiitos',
    'Saisinko oikean ihmisen linjoille',
    'henkilö',
    'haluaisin jutella virkailijan kanssa',
    'voisinko soittaa jollekin',
    'jag vill prata med en människa',
    'Jag vill prata med en manniska',
    'handläggare',
    'kundtjänst',
    'Kan jag få tala med en handläggare?',
    'en riktig människa tack',
    'I want to talk to a person',
    'human',
    'agent please',
    'real person',
    'Can I speak to a real human?',
    'talk to someone',
    'let me chat with customer service',
    'Connect me to an agent',
    'Voisitko yhdistää asiakaspalveluun?',
    'Kan du koppla mig till kundtjänst?',
  ])('hands off on %j', (text) => {
    expect(wantsPerson(text)).toBe(true);
    expect(detectIntent(text)).toBe('handoff');
  });

  it.each([
    'henkilökortti',
    'Miten haen uuden henkilökortin?',
    'personal data',
    'I want to update my personal data',
    'asiakaspalvelun aukioloajat',
    'ikäihmisten kotihoito',
    'I need someone to fix the street light',
    'human resources',
    'personbevis',
    'en halua puhua ihmisen kanssa',
    'uimahallin aukioloajat',
    '',
  ])('does not hand off on %j', (text) => {
    expect(wantsPerson(text)).toBe(false);
  });
});

describe('saysNotHelpful', () => {
  it.each(['ei auttanut', 'Tämä ei auttanut yhtään.', 'ei ollut apua', 'det hjälpte inte', 'Det hjälpte inte!', 'fel svar', "that didn't help", 'That did not help', 'not helpful', 'wrong answer'])(
    'counts %j as unhelpful',
    (text) => {
      expect(saysNotHelpful(text)).toBe(true);
      expect(detectIntent(text)).toBe('not_helpful');
    },
  );

  it.each(['auttoi, kiitos', 'det hjälpte', 'that helped', 'apua'])('does not count %j', (text) => {
    expect(saysNotHelpful(text)).toBe(false);
  });

  it('a person wins over "did not help"', () => {
    expect(detectIntent('ei auttanut, haluan puhua ihmisen kanssa')).toBe('handoff');
  });
});

describe('thanks and greetings', () => {
  it.each(['kiitos', 'Kiitos paljon!', 'kiitti', 'tack', 'Tack så mycket', 'thanks', 'Thank you very much!', 'ok kiitos', 'ok', 'selvä', 'okej', 'got it'])('%j is thanks or an acknowledgement', (text) => {
    expect(saysThanks(text)).toBe(true);
    expect(detectIntent(text)).toBe('thanks');
  });

  it.each(['hei', 'Moi!', 'hej', 'Hej hej', 'hello', 'Good morning', 'hyvää huomenta'])('%j is a greeting', (text) => {
    expect(saysHello(text)).toBe(true);
    expect(detectIntent(text)).toBe('greeting');
  });

  it('a question with courtesy words is a question', () => {
    expect(detectIntent('hei, miten haen päivähoitopaikkaa?')).toBeNull();
    expect(detectIntent('kiitos, mutta missä on uimahalli?')).toBeNull();
    expect(detectIntent('thanks, and where is the library?')).toBeNull();
    expect(detectIntent('kirjastokortti')).toBeNull();
  });
});

describe('normalizeIntentText', () => {
  it('drops case, diacritics and punctuation', () => {
    expect(normalizeIntentText('  Jag vill PRATA med en Människa!! ')).toBe('jag vill prata med en manniska');
    expect(normalizeIntentText("That didn't help.")).toBe('that didnt help');
  });
});
