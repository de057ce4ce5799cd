import type { LoaderArgs } from './server-helpers.ts';
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
  type LoaderFunctionArgs,
} from 'react-router';
import { errorMessage } from '../platform/errors.ts';
import { isLang, pick, type Lang } from '../platform/i18n.ts';
import { common } from './i18n/common.ts';
import { translator } from './i18n/define.ts';
import { useNonce } from './nonce.ts';
import stylesUrl from './styles.css?url';

export const links = () => [
  { rel: 'stylesheet', href: stylesUrl },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export type Viewer =
  | { kind: 'staff'; id: string; name: string; email: string; roles: string[] }
  | { kind: 'resident'; id: string; name: string }
  | { kind: 'anonymous' };

/** Facts every page needs: tenant, language, viewer, CSRF token. */
export async function loader({ context, params }: LoaderArgs) {
  const { tenant, actor, csrfToken, sessionStatus } = context;
  const lang: Lang = isLang(params.lang) && tenant.languages.includes(params.lang) ? params.lang : tenant.defaultLanguage;
  let viewer: Viewer = { kind: 'anonymous' };
  if (actor.kind === 'staff') {
    viewer = { kind: 'staff', id: actor.user.id, name: actor.user.name, email: actor.user.email, roles: [...new Set(actor.user.grants.map((g) => g.role))] };
  } else if (actor.kind === 'resident') {
    const r = actor.resident;
    viewer = { kind: 'resident', id: r.id, name: [r.givenName, r.familyName].filter(Boolean).join(' ') || r.email || '' };
  }
  return {
    lang,
    csrfToken,
    // Absolute URLs in the head (hreflang alternates) need the origin the visitor used.
    origin: context.origin,
    sessionExpired: sessionStatus === 'expired',
    viewer,
    tenant: {
      id: tenant.id,
      slug: tenant.slug,
      names: tenant.names,
      languages: tenant.languages,
      defaultLanguage: tenant.defaultLanguage,
      theme: tenant.theme,
      contact: tenant.contact,
    },
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

export function useRoot(): RootData {
  return useRouteLoaderData('root') as RootData;
}

/** The page language: the URL's /fi|/sv|/en when the tenant has it, else its default. */
export function useLang(): Lang {
  return useRouteLoaderData<RootData>('root')?.lang ?? 'fi';
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData('root') as RootData | undefined;
  const nonce = useNonce();
  const lang = data?.lang ?? 'fi';
  const theme = data?.tenant.theme;
  // Theme tokens become CSS variables; the stylesheet uses only these for brand colours.
  const themeCss = theme
    ? `:root{--brand:${safeColour(theme.primary)};--accent:${safeColour(theme.accent)};}`
    : '';
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {themeCss && <style nonce={nonce || undefined} dangerouslySetInnerHTML={{ __html: themeCss }} />}
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce || undefined} />
        <Scripts nonce={nonce || undefined} />
      </body>
    </html>
  );
}

function safeColour(c: string) {
  return /^#[0-9a-f]{6}$/i.test(c) ? c : '#003479';
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const lang = useLang();
  const t = translator(common, lang);
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const forbidden = isRouteErrorResponse(error) && error.status === 403;
  const title = notFound ? t('notFoundTitle') : forbidden ? errorMessage('forbidden', lang) : t('errorTitle');
  return (
    <>
      <title>{title}</title>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <main id="main" className="container narrow" tabIndex={-1}>
        <h1>{title}</h1>
        {!forbidden && <p>{notFound ? t('notFoundText') : t('errorText')}</p>}
        <p>
          <a href={`/${lang}`}>{t('backToFront')}</a>
        </p>
      </main>
    </>
  );
}

export { pick };
