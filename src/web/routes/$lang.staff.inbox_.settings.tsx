import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { normalizeOrigin } from '../../modules/inbox/origins.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { chat as chatText } from '../i18n/chat.ts';
import { translator } from '../i18n/define.ts';
import { useRoot } from '../root.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { formCommand, formValues, requireConsoleRole, type FormFailure } from '../staff/admin-page.ts';
import type { ActionArgs, LoaderArgs } from '../server-helpers.ts';

/**
 * Chat settings (tenant admins): chat and bot on or off, the e-mail auto-reply, and the
 * sites that may embed the chat (frame-ancestors of the embed page). Works without
 * JavaScript; every change is audited (inbox.settings_changed).
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['tenant_admin']);
  const settings = await context.services.chat.settings(context.services.db, context.tenant.id);
  const saved = new URL(request.url).searchParams.get('saved');
  return { lang, settings, origin: context.origin, saved: saved === '1' ? 'saved' : saved === '0' ? 'unchanged' : null };
}

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireConsoleRole(context, request, params, ['tenant_admin']);
  const form = await request.formData();
  const on = (k: string) => form.get(k) === 'on';
  const origins = String(form.get('allowedOrigins') ?? '')
    .slice(0, 20_000)
    .split(/\r?\n/);
  return formCommand(
    lang,
    async () => {
      const { changed } = await context.services.chat.updateSettings(
        context.tenant.id,
        context.actor,
        { chatEnabled: on('chatEnabled'), botEnabled: on('botEnabled'), autoReply: on('autoReply'), allowedOrigins: origins },
        { ip: context.ip },
      );
      return redirect(`/${lang}/staff/inbox/settings?saved=${changed.length ? 1 : 0}`);
    },
    formValues(form),
  );
}

export default function ChatSettings() {
  const { lang, settings, origin, saved } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as (FormFailure & { line?: number }) | undefined;
  const { tenant } = useRoot();
  const t = translator(chatText, lang);
  const submitted = failure?.values;
  const checked = (name: 'chatEnabled' | 'botEnabled' | 'autoReply') => (submitted ? submitted[name] === 'on' : settings[name]);
  const originsValue = submitted ? String(submitted.allowedOrigins ?? '') : settings.allowedOrigins.join('\n');
  const originError = failure?.fields?.allowedOrigins;
  const badLine = originsValue.split(/\r?\n/).findIndex((l) => l.trim() !== '' && !normalizeOrigin(l)) + 1;
  const embedTag = `<script src="${origin}/embed/chat.js" data-lang="${tenant.defaultLanguage}" async></script>`;
  return (
    <>
      <title>{t('settingsTitle')}</title>
      <h1>{t('settingsTitle')}</h1>
      <p>{t('settingsIntro')}</p>
      {saved && !failure && (
        <div className="notice" role="status">
          <p>{saved === 'saved' ? t('settingsSaved') : t('settingsUnchanged')}</p>
        </div>
      )}
      {failure && (
        <div className="alert" role="alert">
          <p>{t('settingsFormErrors')}</p>
        </div>
      )}
      <Form method="post" reloadDocument className="settings-form">
        <CsrfField />
        {(['chatEnabled', 'botEnabled', 'autoReply'] as const).map((name) => (
          <div className="checkbox" key={name}>
            <input type="checkbox" id={`f-${name}`} name={name} defaultChecked={checked(name)} />
            <label htmlFor={`f-${name}`}>{t(name === 'chatEnabled' ? 'settingsChatEnabled' : name === 'botEnabled' ? 'settingsBotEnabled' : 'settingsAutoReply')}</label>
          </div>
        ))}
        <div className="field field-wide">
          <label htmlFor="f-allowedOrigins">{t('settingsOrigins')}</label>
          <p id="f-allowedOrigins-hint" className="hint">
            {t('settingsOriginsHint')}
          </p>
          <textarea
            id="f-allowedOrigins"
            name="allowedOrigins"
            rows={5}
            spellCheck={false}
            autoCapitalize="none"
            defaultValue={originsValue}
            aria-invalid={originError ? true : undefined}
            aria-describedby={originError ? 'f-allowedOrigins-hint f-allowedOrigins-error' : 'f-allowedOrigins-hint'}
          />
          {originError && (
            <p id="f-allowedOrigins-error" className="field-error">
              <span className="visually-hidden">{t('errorPrefix')} </span>
              {originError === 'too_many' ? t('settingsTooMany') : t('settingsOriginError', { line: badLine > 0 ? badLine : 1 })}
            </p>
          )}
        </div>
        <button type="submit">{t('settingsSave')}</button>
      </Form>
      <h2>{t('settingsEmbedCode')}</h2>
      <p id="embed-hint">{t('settingsEmbedHint')}</p>
      <pre className="chat-embed-code" tabIndex={0} aria-describedby="embed-hint">
        <code>{embedTag}</code>
      </pre>
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
