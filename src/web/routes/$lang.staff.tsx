import { Form, NavLink, Outlet, useLoaderData } from 'react-router';
import { CsrfField } from '../components/Csrf.tsx';
import { LanguageSwitcher } from '../components/LanguageSwitcher.tsx';
import { common } from '../i18n/common.ts';
import { translator } from '../i18n/define.ts';
import { staff } from '../i18n/staff.ts';
import { useRoot } from '../root.tsx';
import { pageLang, requireStaffPage, type LoaderArgs } from '../server-helpers.ts';
import { visibleNav } from '../staff/nav.ts';

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
  const { tenant, viewer } = useRoot();
  const t = translator(staff, lang);
  const c = translator(common, lang);
  return (
    <>
      <a className="skip-link" href="#main">
        {c('skipToContent')}
      </a>
      <div className="staff-layout">
        <header className="staff-nav">
          <p>
            <strong>{t('consoleTitle')}</strong>
          </p>
          <nav aria-label={t('consoleNav')}>
            <ul>
              {nav.map((item) => (
                <li key={item.path}>
                  <NavLink to={`/${lang}/staff${item.path}`} end={item.path === ''} reloadDocument>
                    {t(item.label)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="who">
            <p>{t('signedInAs', { name: viewer.kind === 'staff' ? viewer.name : '' })}</p>
            <Form method="post" action={`/${lang}/staff/sign-out`} reloadDocument>
              <CsrfField />
              <button type="submit" className="link-button">
                {c('signOut')}
              </button>
            </Form>
            <p>
              <a href={`/${lang}`}>{t('toPortal')}</a>
            </p>
            <LanguageSwitcher lang={lang} languages={tenant.languages} label={c('languageSwitcher')} />
          </div>
        </header>
        <main id="main" tabIndex={-1} className="staff-main">
          <Outlet />
        </main>
      </div>
    </>
  );
}
