import type { CaseEvent } from '../../modules/feedback/model.ts';
import type { Lang } from '../../platform/i18n.ts';
import { defineMessages, translator } from '../i18n/define.ts';

/**
 * What an Open311 client sent beside the case's own fields (kept in the "created" event by
 * open311.ts): the media_url — a link to the client's own copy of a photo, never fetched
 * by Aukio, so it opens on another site — and the client's account and device ids.
 */
const messages = defineMessages({
  fi: {
    title: 'Open311-sovelluksen tiedot',
    media: 'Kuva tai liite (media_url, avautuu ulkoiselle sivustolle)',
    account: 'Käyttäjätunnus sovelluksessa (account_id)',
    device: 'Laitetunnus (device_id)',
  },
  sv: {
    title: 'Uppgifter från Open311-appen',
    media: 'Bild eller bilaga (media_url, öppnas på en extern webbplats)',
    account: 'Användar-id i appen (account_id)',
    device: 'Enhets-id (device_id)',
  },
  en: {
    title: 'From the Open311 app',
    media: 'Photo or attachment (media_url, opens on another site)',
    account: 'User id in the app (account_id)',
    device: 'Device id (device_id)',
  },
});

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);

export function Open311CaseFacts({ events, lang }: { events: Pick<CaseEvent, 'kind' | 'data'>[]; lang: Lang }) {
  const data = events.find((e) => e.kind === 'created')?.data ?? {};
  const media = text(data.mediaUrl);
  // Intake accepts only http(s); checked again here, since this becomes a link.
  const mediaHref = media && /^https?:\/\//i.test(media) ? media : null;
  const account = text(data.accountId);
  const device = text(data.deviceId);
  if (!media && !account && !device) return null;
  const t = translator(messages, lang);
  return (
    <>
      <h3>{t('title')}</h3>
      <dl className="fb-attrs">
        {media && (
          <div>
            <dt>{t('media')}</dt>
            <dd className="fb-text">
              {mediaHref ? (
                <a href={mediaHref} target="_blank" rel="noopener noreferrer nofollow" referrerPolicy="no-referrer">
                  {media}
                </a>
              ) : (
                media
              )}
            </dd>
          </div>
        )}
        {account && (
          <div>
            <dt>{t('account')}</dt>
            <dd className="fb-text">{account}</dd>
          </div>
        )}
        {device && (
          <div>
            <dt>{t('device')}</dt>
            <dd className="fb-text">{device}</dd>
          </div>
        )}
      </dl>
    </>
  );
}
