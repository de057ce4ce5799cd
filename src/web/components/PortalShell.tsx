import type { ReactNode } from 'react';
import { Form, useLocation, useMatches, useSearchParams } from 'react-router';
import { LANGUAGES } from '../../platform/i18n.ts';
import { pick } from '../../platform/i18n.ts';
import { common } from '../i18n/common.ts';
import { translator } from '../i18n/define.ts';
import { portalShell } from '../i18n/portal-shell.ts';
import { feedbackResident } from '../i18n/feedback-resident.ts';
import { feedbackFeed } from '../i18n/feedback-feed.ts';
import { useRoot } from '../root.tsx';
import { CsrfField } from './Csrf.tsx';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';
import { L } from './Text.tsx';
import { SearchCombobox } from './SearchCombobox.tsx';
import { ChatWidget } from './ChatWidget.tsx';
import { chat } from '../i18n/chat.ts';
import { newsPublic } from '../i18n/news-public.ts';

/** Header, search, footer and landmarks around every resident page. */
export function PortalShell({ children, chatEnabled = true }: { children: ReactNode; chatEnabled?: boolean }) {
  const { lang, tenant, viewer } = useRoot();
  const [params] = useSearchParams();
  const matches = useMatches();
  // The front page has its own large search box; one search landmark per page is enough.
  const hideSearch = matches.some((m) => (m.handle as { hideHeaderSearch?: boolean } | undefined)?.hideHeaderSearch);
  // The chat page is the chat: no floating widget on it. Framed on another site (?embed=1)
  // it is shown alone, without the portal's header and footer.
  const chatPage = matches.some((m) => (m.handle as { chatPage?: boolean } | undefined)?.chatPage);
  const t = translator(common, lang);
  const name = pick(tenant.names, lang);
  if (chatPage && params.get('embed') === '1') {
    return (
      <main id="main" tabIndex={-1} className="chat-embed-main">
        {children}
      </main>
    );
  }
  return (
    <>
      <Alternates />
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="site-header">
        <div className="container header-row">
          <a className="brand" href={`/${lang}`}>
            {tenant.theme.logoUrl && <img src={tenant.theme.logoUrl} alt="" width={40} height={40} />}
            <span lang={name.lang !== lang ? name.lang : undefined}>{name.text}</span>
          </a>
          <nav aria-label={t('mainNav')} className="main-nav">
            <ul>
              <li>
                <a href={`/${lang}`}>{t('frontPage')}</a>
              </li>
              <li>
                <a href={`/${lang}/news`}>{translator(newsPublic, lang)('navNews')}</a>
              </li>
              {viewer.kind === 'resident' ? (
                <>
                  <li>
                    <a href={`/${lang}/my`}>{t('myAukio')}</a>
                  </li>
                  <li>
                    <Form method="post" action={`/${lang}/sign-out`} reloadDocument>
                      <CsrfField />
                      <button type="submit" className="link-button">
                        {t('signOut')}
                      </button>
                    </Form>
                  </li>
                </>
              ) : viewer.kind === 'staff' ? (
                <li>
                  <a href={`/${lang}/staff`}>{t('staffConsole')}</a>
                </li>
              ) : (
                <li>
                  <a href={`/${lang}/sign-in`}>{t('signIn')}</a>
                </li>
              )}
            </ul>
          </nav>
          <LanguageSwitcher lang={lang} languages={tenant.languages} label={t('languageSwitcher')} />
        </div>
        {!hideSearch && (
          <div className="container">
            <SearchBox defaultValue={params.get('q') ?? ''} />
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1} className="container">
        {children}
      </main>
      <footer className="site-footer">
        <div className="container footer-grid">
          <section aria-labelledby="footer-contact">
            <h2 id="footer-contact">{t('contact')}</h2>
            <p>
              <span lang={name.lang !== lang ? name.lang : undefined}>{name.text}</span>
              {tenant.contact.address && (
                <>
                  <br />
                  <L value={tenant.contact.address} lang={lang} />
                </>
              )}
            </p>
            <ul className="plain">
              {tenant.contact.phone && (
                <li>
                  {t('phone')}: <a href={`tel:${tenant.contact.phone.replace(/\s/g, '')}`}>{tenant.contact.phone}</a>
                </li>
              )}
              {tenant.contact.email && (
                <li>
                  {t('email')}: <a href={`mailto:${tenant.contact.email}`}>{tenant.contact.email}</a>
                </li>
              )}
            </ul>
          </section>
          <nav aria-label={translator(portalShell, lang)('footerNav')} className="footer-links">
            <ul className="plain">
              <li>
                <a href={`/${lang}/feedback/new`}>{translator(feedbackResident, lang)('giveFeedback')}</a>
              </li>
              <li>
                <a href={`/${lang}/feedback`}>{translator(feedbackFeed, lang)('footerLink')}</a>
              </li>
              <li>
                <a href={`/${lang}/accessibility`}>{t('accessibility')}</a>
              </li>
              <li>
                <a href={`/${lang}/privacy`}>{t('privacy')}</a>
              </li>
              <li>
                <a href={`/${lang}/staff`}>{t('staffConsole')}</a>
              </li>
              <li>
                <a href={`/${lang}/news`}>{translator(newsPublic, lang)('navNews')}</a>
              </li>
              <li>
                <a href={`/${lang}/press`}>{translator(newsPublic, lang)('pressRoomLink')}</a>
              </li>
            </ul>
          </nav>
        </div>
      </footer>
      {chatEnabled && !chatPage && (
        <aside aria-label={translator(chat, lang)('title')} className="chat-aside">
          <ChatWidget />
        </aside>
      )}
    </>
  );
}

/** The "What do you need?" box: a plain GET form, so it works without JavaScript. */
export function SearchBox({ defaultValue = '', large = false }: { defaultValue?: string; large?: boolean }) {
  const { lang } = useRoot();
  const t = translator(common, lang);
  const id = large ? 'q-main' : 'q-header';
  return (
    <form method="get" action={`/${lang}/search`} role="search" aria-label={t('searchLabel')} className={large ? 'search search-large' : 'search'}>
      <label htmlFor={id}>{t('searchLabel')}</label>
      {large && (
        <p id={`${id}-hint`} className="hint">
          {t('searchHint')}
        </p>
      )}
      <div className="search-row">
        <SearchCombobox id={id} defaultValue={defaultValue} describedBy={large ? `${id}-hint` : undefined} />
        <button type="submit">{t('searchButton')}</button>
      </div>
    </form>
  );
}

/**
 * hreflang alternates of this page in each of the tenant's languages, plus x-default (the
 * tenant's default language). React hoists these <link>s into <head>.
 */
function Alternates() {
  const { origin, tenant } = useRoot();
  const location = useLocation();
  const rest = location.pathname.replace(/^\/(fi|sv|en)(?=\/|$)/, '');
  const langs = LANGUAGES.filter((l) => tenant.languages.includes(l));
  return (
    <>
      {langs.map((l) => (
        <link key={l} rel="alternate" hrefLang={l} href={`${origin}/${l}${rest}`} />
      ))}
      <link rel="alternate" hrefLang="x-default" href={`${origin}/${tenant.defaultLanguage}${rest}`} />
    </>
  );
}
