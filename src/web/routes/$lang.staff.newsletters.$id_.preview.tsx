import { useLoaderData } from 'react-router';
import { isLang, pick } from '../../platform/i18n.ts';
import { langLabel, useNlText } from '../newsletters/ui.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs } from '../staff/catalog-edit-ui.tsx';
import { pageLang, requireStaffPage, runLoader, type LoaderArgs } from '../server-helpers.ts';

/** The rendered e-mail (HTML in a sandboxed frame, and the text part) in one language (?in=fi|sv|en). */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services;
  return runLoader(async () => {
    const wanted = new URL(request.url).searchParams.get('in');
    const mailLang = isLang(wanted) && context.tenant.languages.includes(wanted) ? wanted : lang;
    const c = await s.newsletters.get(context.actor, context.tenant.id, String(params.id));
    const p = await s.newsletters.preview(context.actor, context.tenant.id, c.id, mailLang, context.origin);
    // Built here with this response's nonce, so the server's and the browser's render agree.
    return { lang, mailLang, id: c.id, subject: pick(c.subjects, lang), languages: context.tenant.languages, preview: p, previewDocument: previewDocument(p.html, context.nonce) };
  });
}

/**
 * The frame inherits the console's CSP, which refuses style attributes; the mail's inline
 * styles (what mail clients need) become classes in one <style> carrying the page's nonce,
 * so the preview looks like the mail without loosening the policy.
 */
function previewDocument(html: string, nonce: string): string {
  const classes = new Map<string, string>();
  const body = html.replace(/ style="([^"]*)"/g, (_, css: string) => {
    let name = classes.get(css);
    if (!name) classes.set(css, (name = `m${classes.size}`));
    return ` class="${name}"`;
  });
  const rules = [...classes].map(([css, name]) => `.${name}{${css.replace(/&quot;/g, '"').replace(/[<>]/g, '')}}`).join('\n');
  return body.replace('</head>', `<style nonce="${nonce}">${rules}</style></head>`);
}

export default function PreviewPage() {
  const d = useLoaderData<typeof loader>();
  const t = useNlText();
  const { lang } = d;
  const title = `${t('previewTitle')}: ${langLabel(t, d.mailLang)}`;
  return (
    <>
      <title>{title}</title>
      <Breadcrumbs
        t={t}
        items={[
          { href: `/${lang}/staff`, label: t('consoleHome') },
          { href: `/${lang}/staff/newsletters`, label: t('backToCampaigns') },
          { href: `/${lang}/staff/newsletters/${d.id}`, label: <span lang={d.subject.lang !== lang ? d.subject.lang : undefined}>{d.subject.text || '—'}</span> },
          { label: title },
        ]}
      />
      <h1>{title}</h1>
      <ul className="nl-inline-list">
        {d.languages
          .filter((l) => l !== d.mailLang)
          .map((l) => (
            <li key={l}>
              <a href={`/${lang}/staff/newsletters/${d.id}/preview?in=${l}`}>{t('previewIn', { lang: langLabel(t, l) })}</a>
            </li>
          ))}
      </ul>
      <p lang={d.mailLang}>
        <strong>{d.preview.subject}</strong>
      </p>
      <h2>{t('previewHtml')}</h2>
      {/* sandbox without scripts: the mail's HTML cannot act on the console. */}
      <iframe className="nl-preview-frame" title={t('previewFrameTitle', { lang: langLabel(t, d.mailLang) })} sandbox="" srcDoc={d.previewDocument} />
      <h2>{t('previewText')}</h2>
      <pre className="nl-preview-text" lang={d.mailLang} tabIndex={0}>
        {d.preview.text}
      </pre>
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
