import { Form, Outlet, useLoaderData, useLocation } from 'react-router';
import type { Lang } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { LanguageSwitcher } from '../components/LanguageSwitcher.tsx';
import { common } from '../i18n/common.ts';
import { translator } from '../i18n/define.ts';
import { staff } from '../i18n/staff.ts';
import { useRoot } from '../root.tsx';
import { pageLang, requireStaffPage, type LoaderArgs } from '../server-helpers.ts';
import { visibleNav, type StaffNavItem } from '../staff/nav.ts';

/**
 * The staff console shell: every page under /{lang}/staff needs a signed-in staff member
 * (sign-in itself lives outside, at /{lang}/staff/sign-in). Each child page checks its
 * own role in its loader and action.
 */
export function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const user = requireStaffPage(context, request, lang);
  return { lang, nav: visibleNav([...new Set(user.grants.map((g) => g.role))]) };
}

export default function StaffLayout() {
  const { lang, nav } = useLoaderData<typeof loader>();
  const c = translator(common, lang);
  const t = translator(staff, lang);
  return (
    <>
      <a className="skip-link" href="#main">
        {c('skipToContent')}
      </a>
      <div className="staff-layout">
        <header className="staff-nav">
          <p className="staff-title">
            <strong>{t('consoleTitle')}</strong>
          </p>
          {/*
            The menu is rendered twice and CSS shows exactly one (display: none also hides
            the other from assistive technology, so there is one console nav at a time).
            On a phone the nine links and the account section filled the first screen
            before the page's heading; there the menu is a <details> disclosure, closed on
            every page load, which opens by keyboard and touch without JavaScript (CSS cannot
            open a <details>, so one element cannot be "open on wide, closed on narrow").
            On a wide screen the full list stays in view as a sidebar. Main content after the
            header in DOM order keeps focus order the same as visual order on both.
          */}
          <details className="staff-menu staff-menu-narrow">
            <summary>{t('menu')}</summary>
            <ConsoleMenu lang={lang} nav={nav} />
          </details>
          <div className="staff-menu staff-menu-wide">
            <ConsoleMenu lang={lang} nav={nav} />
          </div>
        </header>
        <main id="main" tabIndex={-1} className="staff-main">
          <Outlet />
        </main>
      </div>
    </>
  );
}

/**
 * The nav entry the page belongs to: the longest entry path that the page's path starts
 * with, so /inbox/faq marks "Chatbot answers" and not also "Inbox", while a conversation
 * at /inbox/<id> still marks "Inbox".
 */
function currentNavPath(nav: StaffNavItem[], path: string): string | null {
  let best: string | null = null;
  for (const item of nav) {
    const hit = item.path === '' ? path === '' : path === item.path || path.startsWith(`${item.path}/`);
    if (hit && (best === null || item.path.length > best.length)) best = item.path;
  }
  return best;
}

/** The console's navigation and the signed-in person's account actions. */
function ConsoleMenu({ lang, nav }: { lang: Lang; nav: StaffNavItem[] }) {
  const { tenant, viewer } = useRoot();
  const t = translator(staff, lang);
  const c = translator(common, lang);
  const current = currentNavPath(nav, useLocation().pathname.replace(/\/+$/, '').slice(`/${lang}/staff`.length));
  return (
    <>
      <nav aria-label={t('consoleNav')}>
        <ul>
          {nav.map((item) => (
            <li key={item.path}>
              <a href={`/${lang}/staff${item.path}`} aria-current={item.path === current ? 'page' : undefined}>
                {t(item.label)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {/* Leaving the console (to the resident pages, or signing out) is a different kind of
          action from moving inside it: its own group, and both entries look alike even
          though signing out must be a POST button. */}
      <div className="who">
        <p className="who-name">
          {t('signedInLabel')}
          <br />
          <strong>{viewer.kind === 'staff' ? viewer.name : ''}</strong>
        </p>
        <ul>
          <li>
            <a href={`/${lang}`}>{t('toPortal')}</a>
          </li>
          <li>
            <Form method="post" action={`/${lang}/staff/sign-out`} reloadDocument>
              <CsrfField />
              <button type="submit" className="link-button">
                {c('signOut')}
              </button>
            </Form>
          </li>
        </ul>
        <LanguageSwitcher lang={lang} languages={tenant.languages} label={c('languageSwitcher')} />
      </div>
    </>
  );
}
