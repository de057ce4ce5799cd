import type { Lang } from '../../platform/i18n.ts';
import { defineMessages, translator } from '../i18n/define.ts';

/**
 * The API tokens page's note for Open311 clients: they need the open311 scope and send the
 * key as the api_key form field (not as a Bearer header like other integrations), at this
 * endpoint, with this jurisdiction_id when their host does not name the tenant.
 */
const messages = defineMessages({
  fi: {
    title: 'Open311-sovellukset',
    body: 'Open311 GeoReport v2 -sovellus (esimerkiksi palautesovellus) tarvitsee avaimen, jolla on oikeus open311. Sovellus lähettää avaimen api_key-kenttänä eikä Authorization-otsakkeessa. Luo kullekin sovellukselle oma avain, niin voit perua sen erikseen.',
    endpoint: 'Rajapinnan osoite:',
    jurisdiction: 'jurisdiction_id (jos sovellus käyttää yhteistä osoitetta):',
  },
  sv: {
    title: 'Open311-appar',
    body: 'En Open311 GeoReport v2-app (till exempel en responsapp) behöver en nyckel med behörigheten open311. Appen skickar nyckeln som fältet api_key, inte i huvudet Authorization. Skapa en egen nyckel för varje app, så kan du återkalla den separat.',
    endpoint: 'Gränssnittets adress:',
    jurisdiction: 'jurisdiction_id (om appen använder en gemensam adress):',
  },
  en: {
    title: 'Open311 apps',
    body: 'An Open311 GeoReport v2 app (a feedback app, for example) needs a token with the open311 scope. The app sends the token as the api_key field, not in the Authorization header. Create one token per app, so you can revoke each on its own.',
    endpoint: 'Endpoint:',
    jurisdiction: 'jurisdiction_id (when the app uses a shared address):',
  },
});

export function Open311KeyNote({ lang, endpoint, jurisdiction }: { lang: Lang; endpoint: string; jurisdiction: string }) {
  const t = translator(messages, lang);
  return (
    // A fragment, not a wrapper: the console's text-width rule (.staff-main > p) applies as on the rest of the page.
    <>
      <h2>{t('title')}</h2>
      <p>{t('body')}</p>
      <ul>
        <li>
          {t('endpoint')} <code>{endpoint}</code>
        </li>
        <li>
          {t('jurisdiction')} <code>{jurisdiction}</code>
        </li>
      </ul>
    </>
  );
}
