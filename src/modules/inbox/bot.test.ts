import { describe, expect, it } from 'vitest';
import type { ServiceHours } from '../catalog/model.ts';
import { localToInstant } from '../catalog/opening-hours.ts';
import { BOT_MAX_MISSES, decide, describeBotMessage, hoursLine, SOURCE_OF } from './bot.ts';

const none = { intent: null, faqHit: false, catalogHit: false } as const;

describe('decide', () => {
  it('hands off at once when the resident asks for a person, whatever it found', () => {
    expect(decide({ intent: 'handoff', faqHit: true, catalogHit: true }, 0)).toEqual({ kind: 'handoff_asked', misses: 0 });
    expect(decide({ intent: 'handoff', faqHit: false, catalogHit: false }, 1)).toEqual({ kind: 'handoff_asked', misses: 1 });
  });

  it('prefers a curated FAQ answer to catalog cards, and a good answer resets the misses', () => {
    expect(decide({ ...none, faqHit: true, catalogHit: true }, 1)).toEqual({ kind: 'faq', misses: 0 });
    expect(decide({ ...none, catalogHit: true }, 1)).toEqual({ kind: 'catalog', misses: 0 });
  });

  it('counts a miss, and hands off by itself on the second unhelpful answer in a row', () => {
    expect(BOT_MAX_MISSES).toBe(2);
    expect(decide(none, 0)).toEqual({ kind: 'miss', misses: 1 });
    expect(decide(none, 1)).toEqual({ kind: 'handoff_gave_up', misses: 2 });
  });

  it('counts "did not help" as an unhelpful answer', () => {
    expect(decide({ intent: 'not_helpful', faqHit: true, catalogHit: true }, 0)).toEqual({ kind: 'not_helpful', misses: 1 });
    expect(decide({ intent: 'not_helpful', faqHit: false, catalogHit: false }, 1)).toEqual({ kind: 'handoff_gave_up', misses: 2 });
  });

  it('greets and thanks without counting or resetting', () => {
    expect(decide({ ...none, intent: 'thanks' }, 1)).toEqual({ kind: 'thanks', misses: 1 });
    expect(decide({ ...none, intent: 'greeting' }, 0)).toEqual({ kind: 'greeting', misses: 0 });
  });

  it('maps every decision to the message source staff see', () => {
    expect(SOURCE_OF.handoff_gave_up).toBe('handoff');
    expect(SOURCE_OF.not_helpful).toBe('miss');
    expect(SOURCE_OF.thanks).toBe('greeting');
  });
});

describe('hoursLine', () => {
  const weekdays: ServiceHours[] = [
    { type: 'regular', validFrom: null, validTo: null, isClosed: false, hours: [{ dayFrom: 'Monday', dayTo: 'Friday', from: '08:00', to: '16:00' }], info: {} },
  ];
  // 2026-03-30 is a Monday; 2026-04-04 a Saturday (Helsinki time).
  const monday10 = localToInstant('2026-03-30', 10 * 60);
  const monday17 = localToInstant('2026-03-30', 17 * 60);
  const saturday = localToInstant('2026-04-04', 12 * 60);

  it('says whether the place is open now and today\'s hours, in each language', () => {
    expect(hoursLine(weekdays, monday10, 'fi')).toBe('Avoinna nyt, tänään 8.00–16.00');
    expect(hoursLine(weekdays, monday10, 'sv')).toBe('Öppet nu, i dag 8.00–16.00');
    expect(hoursLine(weekdays, monday10, 'en')).toBe('Open now, today 8:00–16:00');
    expect(hoursLine(weekdays, monday17, 'fi')).toBe('Suljettu nyt, tänään avoinna 8.00–16.00');
  });

  it('on a closed day says when it opens next', () => {
    expect(hoursLine(weekdays, saturday, 'fi')).toBe('Suljettu tänään, avautuu ma 8.00');
    expect(hoursLine(weekdays, saturday, 'en')).toBe('Closed today, opens Mon 8:00');
  });

  it('claims nothing without hours', () => {
    expect(hoursLine([], monday10, 'fi')).toBeNull();
  });
});

describe('describeBotMessage', () => {
  it('labels the source with the score for staff', () => {
    expect(describeBotMessage({ authorKind: 'bot', data: { bot: { source: 'faq', score: 0.8234 } } }, 'fi')).toBe('Botti: usein kysytty kysymys (osuvuus 0,82)');
    expect(describeBotMessage({ authorKind: 'bot', data: { bot: { source: 'handoff' } } }, 'en')).toBe('Bot: handed over to a person');
    expect(describeBotMessage({ authorKind: 'agent', data: {} }, 'fi')).toBeNull();
  });
});
