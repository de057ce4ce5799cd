import type { Lang } from '../../platform/i18n.ts';

/** fi, sv and en with the same keys: a missing translation is a compile error (as defineMessages). */
type Phrases<T extends Record<string, string>> = { fi: T; sv: { [K in keyof T]: string }; en: { [K in keyof T]: string } };
const phrases = <T extends Record<string, string>>(p: Phrases<T>): Phrases<T> => p;

/**
 * What the chat bot itself says (bot.ts). These fixed phrases, the curated FAQ answers and the
 * catalog's own fields are everything the bot ever writes: it composes no facts of its own.
 * They live in the module, not in src/web/i18n, because the server runs without the web
 * app's sources (scripts/compile-server.mjs); the staff source labels are here too.
 */
export const BOT_PHRASES = phrases({
  fi: {
    botName: 'Chat-botti',
    catalogLeadIn: 'Näistä palveluista voi olla apua:',
    miss: 'En löytänyt tähän vastausta. Kokeile kysyä toisin sanoin, tai kirjoita "haluan puhua ihmisen kanssa", niin asiakaspalvelija jatkaa keskustelua.',
    notHelpful: 'Pahoittelen, ettei vastaus auttanut. Kokeile kysyä toisin sanoin, tai kirjoita "haluan puhua ihmisen kanssa", niin asiakaspalvelija jatkaa keskustelua.',
    handoffAsked: 'Selvä, siirrän keskustelun asiakaspalvelijalle. Hän jatkaa tässä samassa keskustelussa.',
    handoffGaveUp: 'En valitettavasti löytänyt vastausta, joten siirrän keskustelun asiakaspalvelijalle. Hän jatkaa tässä samassa keskustelussa.',
    teamOpen: 'Asiakaspalvelu on nyt avoinna.',
    teamClosedUntil: 'Asiakaspalvelu on nyt suljettu ja vastaa, kun se avautuu ({when}). Voit jättää kysymyksesi tähän.',
    teamClosed: 'Asiakaspalvelu on nyt suljettu. Voit jättää kysymyksesi tähän, niin siihen vastataan aukioloaikana.',
    greeting: 'Hei! Olen chat-botti. Kysy omin sanoin, niin etsin vastauksen palveluista ja usein kysytyistä kysymyksistä. Jos en osaa auttaa, kirjoita "haluan puhua ihmisen kanssa".',
    thanks: 'Ole hyvä! Kysy vain, jos voin auttaa jossain muussa.',
    openAllDay: 'Avoinna ympäri vuorokauden',
    openNowToday: 'Avoinna nyt, tänään {times}',
    closedNowToday: 'Suljettu nyt, tänään avoinna {times}',
    closedTodayOpens: 'Suljettu tänään, avautuu {when}',
    closedToday: 'Suljettu tänään',
    sourceFaq: 'Botti: usein kysytty kysymys',
    sourceCatalog: 'Botti: palvelukortit',
    sourceGreeting: 'Botti: tervehdys tai kiitos',
    sourceHandoff: 'Botti: siirsi asiakaspalvelijalle',
    sourceMiss: 'Botti: ei vastausta',
    withScore: '{label} (osuvuus {score})',
  },
  sv: {
    botName: 'Chattbot',
    catalogLeadIn: 'De här tjänsterna kan vara till hjälp:',
    miss: 'Jag hittade inget svar på det. Försök fråga med andra ord, eller skriv "jag vill prata med en människa", så fortsätter en kundtjänstmedarbetare samtalet.',
    notHelpful: 'Jag beklagar att svaret inte hjälpte. Försök fråga med andra ord, eller skriv "jag vill prata med en människa", så fortsätter en kundtjänstmedarbetare samtalet.',
    handoffAsked: 'Okej, jag flyttar samtalet till en kundtjänstmedarbetare. Hen fortsätter i samma samtal.',
    handoffGaveUp: 'Jag hittade tyvärr inget svar, så jag flyttar samtalet till en kundtjänstmedarbetare. Hen fortsätter i samma samtal.',
    teamOpen: 'Kundtjänsten är öppen nu.',
    teamClosedUntil: 'Kundtjänsten är stängd nu och svarar när den öppnar ({when}). Du kan lämna din fråga här.',
    teamClosed: 'Kundtjänsten är stängd nu. Du kan lämna din fråga här, så besvaras den under öppettiderna.',
    greeting: 'Hej! Jag är en chattbot. Fråga med egna ord, så söker jag svaret bland tjänsterna och de vanliga frågorna. Om jag inte kan hjälpa, skriv "jag vill prata med en människa".',
    thanks: 'Varsågod! Fråga gärna om jag kan hjälpa med något annat.',
    openAllDay: 'Öppet dygnet runt',
    openNowToday: 'Öppet nu, i dag {times}',
    closedNowToday: 'Stängt nu, i dag öppet {times}',
    closedTodayOpens: 'Stängt i dag, öppnar {when}',
    closedToday: 'Stängt i dag',
    sourceFaq: 'Bot: vanlig fråga',
    sourceCatalog: 'Bot: tjänstekort',
    sourceGreeting: 'Bot: hälsning eller tack',
    sourceHandoff: 'Bot: flyttade till kundtjänst',
    sourceMiss: 'Bot: inget svar',
    withScore: '{label} (träffsäkerhet {score})',
  },
  en: {
    botName: 'Chat bot',
    catalogLeadIn: 'These services may help:',
    miss: 'I could not find an answer to that. Try asking in other words, or write "I want to talk to a person" and a customer service agent will continue the conversation.',
    notHelpful: 'I am sorry that did not help. Try asking in other words, or write "I want to talk to a person" and a customer service agent will continue the conversation.',
    handoffAsked: 'All right, I am passing the conversation to a customer service agent. They will continue in this same conversation.',
    handoffGaveUp: 'I am sorry I could not find an answer, so I am passing the conversation to a customer service agent. They will continue in this same conversation.',
    teamOpen: 'Customer service is open now.',
    teamClosedUntil: 'Customer service is closed now and will answer when it opens ({when}). You can leave your question here.',
    teamClosed: 'Customer service is closed now. You can leave your question here and it will be answered during opening hours.',
    greeting: 'Hello! I am the chat bot. Ask in your own words and I will look for the answer among the services and frequently asked questions. If I cannot help, write "I want to talk to a person".',
    thanks: 'You are welcome! Just ask if I can help with anything else.',
    openAllDay: 'Open around the clock',
    openNowToday: 'Open now, today {times}',
    closedNowToday: 'Closed now, open today {times}',
    closedTodayOpens: 'Closed today, opens {when}',
    closedToday: 'Closed today',
    sourceFaq: 'Bot: frequently asked question',
    sourceCatalog: 'Bot: service cards',
    sourceGreeting: 'Bot: greeting or thanks',
    sourceHandoff: 'Bot: handed over to a person',
    sourceMiss: 'Bot: no answer',
    withScore: '{label} (match {score})',
  },
});
export type BotPhrase = keyof (typeof BOT_PHRASES)['fi'];

/** A phrase in a language with its {name} variables filled in. */
export function botPhrase(lang: Lang, key: BotPhrase, vars: Record<string, string | number> = {}): string {
  return BOT_PHRASES[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => (k in vars ? String(vars[k]) : `{${k}}`));
}
