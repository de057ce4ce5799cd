/**
 * What a resident's chat message asks of the bot besides a topic: a person, a greeting,
 * thanks, or "that did not help". Pure functions over the text in any of fi/sv/en (residents
 * mix languages, so every language is checked whatever the conversation's language is).
 *
 * Matching is by whole normalized words (lower case, without diacritics or punctuation), so
 * "henkilökortti" is not "henkilö" and "personal data" is not "person". Asking for a person
 * needs a person word together with a verb of talking or wanting ("haluan puhua ihmisen
 * kanssa"), or a person word with nothing else ("asiakaspalvelija", "human please"), or an
 * unmistakable phrase ("oikea ihminen", "real person"). Words like "someone" count only with
 * a verb of talking ("talk to someone"), since "I need someone to fix the light" is a topic.
 */

export type Intent = 'handoff' | 'not_helpful' | 'thanks' | 'greeting';

/** Lower case, diacritics and apostrophes removed, anything else that is not a letter or digit a space. */
export function normalizeIntentText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const words = (...w: string[]) => new Set(w);

/** A person to talk to (singular forms: "ihmisille" and "personal" are other words). */
const PERSON = [
  /^ihmi(nen|sen|selle|sta|seen|selta|silta|sena)$/,
  /^henkilo(n|lle|a|on|lta|lla|ksi|na)?$/,
  /^asiakaspalvelija(n|lle|a|lta|an|na)?$/,
  /^asiakaspalvelu(un|n|a|sta|lle|lta)?$/,
  /^virkailija(n|lle|a|lta|an|na)?$/,
  /^tyontekija(n|lle|a|lta|an)?$/,
  /^neuvoja(n|lle|a|lta|an)?$/,
  /^manniska(n|or)?$/,
  /^person(en)?$/,
  /^handlaggare(n)?$/,
  /^kundtjanst(en)?$/,
  /^kundservice(n)?$/,
  /^radgivare(n)?$/,
  /^tjansteman(nen)?$/,
  /^humans?$/,
  /^persons?$/,
  /^agents?$/,
  /^operators?$/,
  /^representatives?$/,
  /^advisors?$/,
  /^advisers?$/,
];
/** Somebody: only a person to talk to together with a verb of talking. */
const SOMEONE = words('joku', 'jonkun', 'jonkin', 'jollekin', 'kenenkaan', 'nagon', 'nagot', 'someone', 'somebody', 'anyone', 'anybody');
const TALK = [
  /^(puhu|keskustel|juttel|soitt|soita|yhdist)\w*$/,
  /^(prata|pratar|tala|talar|snacka|snackar|chatta|chattar|koppla|kopplar)$/,
  /^(talk|talking|speak|speaking|chat|chatting|connect|transfer)$/,
];
const WANT = [
  /^(halua|haluan|haluaisin|haluaisi|haluamme|tahdon|tahtoisin|voinko|voisinko|voitko|voisitko|saisinko|saanko|paasisinko|paasenko|pyydan|tarvitsen|tarvitsisin)$/,
  /^(vill|ville|kan|kunde|far|fick|ber|behover)$/,
  /^(want|wanna|need|can|could|may|let|get|give|please)$/,
];
/** Words that may stand around a person word without making it a topic. */
const FILLER = words(
  'hei', 'moi', 'kiitos', 'nyt', 'heti', 'kanssa', 'ole', 'hyva', 'oikea', 'oikean', 'oikealle', 'elava', 'elavan', 'elavalle', 'minulle', 'mulle', 'yhteys', 'yhteyden',
  'hej', 'tack', 'nu', 'en', 'ett', 'med', 'till', 'riktig', 'riktigt', 'levande', 'mig', 'snalla', 'garna',
  'hi', 'hello', 'a', 'an', 'the', 'to', 'with', 'me', 'real', 'live', 'actual', 'now', 'i', 'please', 'pls', 'thanks', 'customer', 'service', 'support', 'ok',
);
const NEGATION_BEFORE = words('en', 'ei', 'emme', 'ette', 'not', 'dont', 'doesnt', 'cant', 'cannot', 'wont', 'never');
const NEGATION_AFTER = words('inte', 'ej', 'aldrig');

const STRONG_HANDOFF = [
  /\b(oikea|oikean|oikealle|elava|elavan|elavalle)( \w+)? (ihmi\w*|henkilo\w*)\b/,
  /\b(riktig|riktigt|riktiga|levande)( \w+)? (manniska\w*|person\w*)\b/,
  /\b(real|live|actual)( \w+)? (person|human|agent|people)\b/,
  /\bhuman (agent|being|support)\b/,
  /\bcustomer (service|support) (agent|person|representative|staff)\b/,
];

const NOT_HELPFUL = [
  /\bei (auttanut|auta|autta\w*|vastannut|vastaa|hyodyttanyt|ollut (apua|avuksi|hyotya)|liity|koske)\b/,
  /\b(en saanut|en loytanyt) (vastausta|apua)\b/,
  /\bvaara vastaus\b/,
  /\bet ymmartanyt\b/,
  /\b(hjalpte|hjalper|svarade) inte\b/,
  /\binte (till )?hjalp\b/,
  /\bfel svar\b/,
  /\b(du )?forstod inte\b/,
  /\binte (det|vad) jag (fragade|menade|sokte|ville)\b/,
  /\b(didnt|did not|doesnt|does not|dont|do not|wasnt|was not|isnt|is not|not) (help|helpful|useful|answer)\b/,
  /\b(unhelpful|useless)\b/,
  /\bwrong answer\b/,
  /\bnot what i (asked|meant|was looking for|wanted)\b/,
  /\byou (didnt|did not|dont|do not) understand\b/,
];

const THANKS = words('kiitos', 'kiitoksia', 'kiitti', 'kitos', 'tack', 'tackar', 'tacksam', 'thanks', 'thank', 'thx', 'ty', 'cheers');
const GREETING = words(
  'hei', 'heippa', 'moi', 'moikka', 'moro', 'terve', 'tervehdys', 'hejsan', 'hej', 'tjena', 'tja', 'halla', 'hallo', 'hi', 'hello', 'hey', 'hiya', 'huomenta', 'paivaa', 'iltaa',
  'morjens', 'morjes',
);
/** Words that may go with a greeting or thanks without making the message a question. */
const COURTESY = words(
  'paljon', 'kovasti', 'sinulle', 'teille', 'vaan', 'vain', 'ok', 'okei', 'selva', 'hyva', 'hienoa', 'mahtavaa', 'kaunis', 'hyvaa', 'huomenta', 'paivaa', 'iltaa', 'ja', 'niin',
  'sa', 'mycket', 'bra', 'toppen', 'dig', 'er', 'god', 'morgon', 'dag', 'kvall', 'och',
  'you', 'so', 'much', 'very', 'a', 'lot', 'great', 'ok', 'okay', 'good', 'morning', 'afternoon', 'evening', 'there', 'and', 'again', 'bot', 'botti', 'boten', 'all', 'for', 'that', 'the', 'help', 'avusta', 'hjalpen', 'fine',
);

const any = (patterns: RegExp[], w: string) => patterns.some((p) => p.test(w));


export function wantsPerson(text: string): boolean {
  const n = normalizeIntentText(text);
  if (!n) return false;
  const tokens = n.split(' ');
  // "En halua puhua ihmisen kanssa" / "I don't want a person" is not a request for one.
  const negated = tokens.some((w, i) => (any(TALK, w) || any(WANT, w)) && (NEGATION_BEFORE.has(tokens[i - 1] ?? '') || NEGATION_AFTER.has(tokens[i + 1] ?? '')));
  if (negated) return false;
  if (STRONG_HANDOFF.some((p) => p.test(n))) return true;
  const person = tokens.some((w) => any(PERSON, w)) || /\bcustomer (service|support)\b/.test(n);
  const talk = tokens.some((w) => any(TALK, w));
  if (person && (talk || tokens.some((w) => any(WANT, w)))) return true;
  if (person && tokens.every((w) => any(PERSON, w) || FILLER.has(w))) return true;
  return talk && tokens.some((w) => SOMEONE.has(w));
}

export function saysNotHelpful(text: string): boolean {
  const n = normalizeIntentText(text);
  return NOT_HELPFUL.some((p) => p.test(n));
}

/** "Okay", "got it": an acknowledgement is no question, so it must not count as a miss. */
const ACK = words('ok', 'okei', 'okay', 'okej', 'oki', 'selva', 'selvis', 'joo', 'juu', 'jep', 'jees', 'kylla', 'aha', 'jaha', 'ahaa', 'hyva', 'bra', 'toppen', 'yes', 'yep', 'great', 'fine', 'perfect', 'super', 'hienoa', 'mahtavaa', 'got', 'it', 'understood', 'ymmarsin', 'uppfattat');

/**
 * Only thanks or an acknowledgement (with courtesy words): "kiitos!", "tack så mycket",
 * "thank you very much", "ok, selvä".
 */
export function saysThanks(text: string): boolean {
  const tokens = normalizeIntentText(text).split(' ').filter(Boolean);
  return tokens.some((w) => THANKS.has(w) || ACK.has(w)) && tokens.every((w) => THANKS.has(w) || ACK.has(w) || COURTESY.has(w) || GREETING.has(w));
}

/** Only a greeting: "hei", "hej!", "good morning". */
export function saysHello(text: string): boolean {
  const tokens = normalizeIntentText(text).split(' ').filter(Boolean);
  if (!tokens.length) return false;
  const greets = tokens.some((w) => GREETING.has(w)) || /\bgood (morning|afternoon|evening)\b|\bgod (morgon|dag|kvall)\b|\bhyvaa (huomenta|paivaa|iltaa)\b/.test(tokens.join(' '));
  return greets && tokens.every((w) => GREETING.has(w) || COURTESY.has(w));
}

/**
 * The one intent of a message, in order of what matters most to the resident: a person
 * beats everything ("ei auttanut, haluan puhua ihmisen kanssa" hands off), then "did not
 * help", then thanks and greetings. null = a question for the FAQ and the catalog.
 */
export function detectIntent(text: string): Intent | null {
  if (wantsPerson(text)) return 'handoff';
  if (saysNotHelpful(text)) return 'not_helpful';
  if (saysThanks(text)) return 'thanks';
  if (saysHello(text)) return 'greeting';
  return null;
}
