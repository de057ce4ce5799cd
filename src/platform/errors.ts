import type { Lang } from './i18n.ts';

const APP_ERROR = Symbol.for('aukio.AppError');

/**
 * The one error type. `code` is stable (clients switch on it), `status` is the HTTP
 * status, and the message shown to a person is looked up by code in their language.
 * Anything that is not an AppError is reported as `internal` without details.
 */
export class AppError extends Error {
  /**
   * The server (src/ via tsx) and the built web bundle (build/server) each hold their own
   * copy of this class; errors thrown by services reach the bundle's runAction. A
   * registered symbol makes `instanceof` agree across both copies.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[APP_ERROR] === true;
  }
  readonly [APP_ERROR] = true;

  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    /** Extra safe, non-personal facts for the client (e.g. the field that failed). */
    readonly details?: Record<string, unknown>,
    /** Headers to send with the error response, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(code);
    this.name = 'AppError';
  }
}

const MESSAGES = {
  bad_request: {
    fi: 'Pyyntö on virheellinen.',
    sv: 'Begäran är felaktig.',
    en: 'The request is invalid.',
  },
  validation_failed: {
    fi: 'Tiedoissa on virhe. Tarkista kentät.',
    sv: 'Uppgifterna innehåller fel. Kontrollera fälten.',
    en: 'Some fields are invalid. Please check them.',
  },
  malformed_json: {
    fi: 'Pyynnön JSON-sisältö on virheellinen.',
    sv: 'Begärans JSON-innehåll är felaktigt.',
    en: 'The request body is not valid JSON.',
  },
  unsupported_media_type: {
    fi: 'Sisältötyyppiä ei tueta.',
    sv: 'Innehållstypen stöds inte.',
    en: 'The content type is not supported.',
  },
  invalid_catalog: {
    fi: 'Palvelutietotiedosto on virheellinen, eikä mitään tuotu. Korjaa luetellut kohdat.',
    sv: 'Tjänstedatafilen är felaktig och ingenting importerades. Rätta de angivna punkterna.',
    en: 'The catalog file is invalid and nothing was imported. Fix the listed fields.',
  },
  payload_too_large: {
    fi: 'Pyyntö on liian suuri.',
    sv: 'Begäran är för stor.',
    en: 'The request is too large.',
  },
  unauthenticated: {
    fi: 'Kirjaudu sisään jatkaaksesi.',
    sv: 'Logga in för att fortsätta.',
    en: 'Please sign in to continue.',
  },
  session_expired: {
    fi: 'Istuntosi on vanhentunut. Kirjaudu uudelleen.',
    sv: 'Din session har gått ut. Logga in igen.',
    en: 'Your session has expired. Please sign in again.',
  },
  invalid_credentials: {
    fi: 'Sähköposti tai salasana on väärin.',
    sv: 'E-postadressen eller lösenordet är fel.',
    en: 'The e-mail address or password is wrong.',
  },
  invalid_code: {
    fi: 'Koodi on väärä tai vanhentunut.',
    sv: 'Koden är fel eller har gått ut.',
    en: 'The code is wrong or has expired.',
  },
  invalid_token: {
    fi: 'Linkki on virheellinen tai vanhentunut.',
    sv: 'Länken är ogiltig eller har gått ut.',
    en: 'The link is invalid or has expired.',
  },
  identification_failed: {
    fi: 'Tunnistautuminen epäonnistui. Aloita tunnistautuminen alusta.',
    sv: 'Identifieringen misslyckades. Börja identifieringen från början.',
    en: 'Identification failed. Please start the identification again.',
  },
  csrf_failed: {
    fi: 'Lomakkeen turvatarkistus epäonnistui. Lataa sivu uudelleen ja yritä uudelleen.',
    sv: 'Formulärets säkerhetskontroll misslyckades. Ladda om sidan och försök igen.',
    en: 'The form security check failed. Reload the page and try again.',
  },
  spam_suspected: {
    fi: 'Viestiä ei voitu vastaanottaa, koska se näyttää automaattisesti lähetetyltä. Jos olet ihminen, ota yhteyttä puhelimitse tai sähköpostilla.',
    sv: 'Meddelandet kunde inte tas emot eftersom det ser automatiskt skickat ut. Om du är en människa, kontakta oss per telefon eller e-post.',
    en: 'The message could not be accepted because it looks automatically sent. If you are a person, please contact us by phone or e-mail.',
  },
  forbidden: {
    fi: 'Sinulla ei ole oikeutta tähän toimintoon.',
    sv: 'Du har inte behörighet till den här åtgärden.',
    en: 'You are not allowed to do this.',
  },
  not_found: {
    fi: 'Sivua tai kohdetta ei löytynyt.',
    sv: 'Sidan eller objektet hittades inte.',
    en: 'The page or item was not found.',
  },
  unknown_tenant: {
    fi: 'Tällä osoitteella ei ole palvelua.',
    sv: 'Det finns ingen tjänst på den här adressen.',
    en: 'There is no service at this address.',
  },
  method_not_allowed: {
    fi: 'Menetelmää ei sallita.',
    sv: 'Metoden är inte tillåten.',
    en: 'The method is not allowed.',
  },
  conflict: {
    fi: 'Kohde on jo olemassa tai sitä on muutettu.',
    sv: 'Objektet finns redan eller har ändrats.',
    en: 'The item already exists or has changed.',
  },
  too_many_requests: {
    fi: 'Liian monta yritystä. Yritä myöhemmin uudelleen.',
    sv: 'För många försök. Försök igen senare.',
    en: 'Too many attempts. Please try again later.',
  },
  feature_disabled: {
    fi: 'Toiminto ei ole käytössä.',
    sv: 'Funktionen är inte i bruk.',
    en: 'This feature is not enabled.',
  },
  upstream_failed: {
    fi: 'Ulkoinen palvelu ei vastannut. Yritä myöhemmin uudelleen.',
    sv: 'En extern tjänst svarade inte. Försök igen senare.',
    en: 'An external service did not respond. Please try again later.',
  },
  unavailable: {
    fi: 'Palvelu on hetken poissa käytöstä. Yritä hetken kuluttua uudelleen.',
    sv: 'Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.',
    en: 'The service is briefly unavailable. Please try again in a moment.',
  },
  internal: {
    fi: 'Jotain meni vikaan. Yritä myöhemmin uudelleen.',
    sv: 'Något gick fel. Försök igen senare.',
    en: 'Something went wrong. Please try again later.',
  },
} satisfies Record<string, Record<Lang, string>>;

export type ErrorCode = keyof typeof MESSAGES;

export function errorMessage(code: ErrorCode, lang: Lang): string {
  return MESSAGES[code][lang];
}

/** True for an AppError from any copy of this module (see Symbol.hasInstance above). */
export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

export const notFound = () => new AppError('not_found', 404);
export const forbidden = () => new AppError('forbidden', 403);
export const unauthenticated = () => new AppError('unauthenticated', 401);

/** The documented API error body: {"error": {"code", "message", ...details}}. */
export function errorBody(err: AppError, lang: Lang) {
  return { error: { code: err.code, message: errorMessage(err.code, lang), ...(err.details ?? {}) } };
}
