import { Form, useActionData, useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { translator } from '../i18n/define.ts';
import { feedbackResident } from '../i18n/feedback-resident.ts';
import { inboxMine } from '../i18n/inbox-admin.ts';
import { LANGUAGE_NAMES, residentAuth } from '../i18n/resident-auth.ts';
import { pageLang, requireResidentPage, runAction, runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** My Aukio: the signed-in resident's own profile, and the contact details they may change. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const resident = requireResidentPage(context, request, lang);
  const profile = await runLoader(() => context.services.residents.profile(context.tenant.id, resident.id));
  if (!profile) throw new Response(null, { status: 404 });
  return { lang, profile, languages: context.tenant.languages, tenantName: pick(context.tenant.names, lang) };
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireResidentPage(context, request, lang);
  const form = await request.formData();
  return runAction(lang, async () => {
    await context.services.residents.updateContact(
      context.tenant.id,
      context.actor,
      { email: form.get('email') ?? undefined, preferredLanguage: form.get('preferredLanguage') },
      context.tenant.languages,
      context.ip,
    );
    return { ok: true as const };
  });
}

export default function MyAukio() {
  const { lang, profile, languages, tenantName } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = translator(residentAuth, lang);
  const fields = result && 'fields' in result ? (result.fields ?? {}) : {};
  const emailError = fields.email ? t('emailInvalid') : null;
  const name = [profile.givenName, profile.familyName].filter(Boolean).join(' ');
  const strong = profile.assurance === 'strong';
  // The tenant's name may be in another language than the page, so it gets its own element.
  const intro = t('myIntro', { tenant: '\u0000' }).split('\u0000');
  return (
    <div className="narrow">
      <title>{t('myTitle')}</title>
      <h1>{t('myTitle')}</h1>
      <p>
        {intro[0]}
        <span lang={tenantName.lang !== lang ? tenantName.lang : undefined}>{tenantName.text}</span>
        {intro[1]}
      </p>
      <section aria-labelledby="profile-title">
        <h2 id="profile-title">{t('profileTitle')}</h2>
        <dl className="facts">
          {name && (
            <>
              <dt>{t('name')}</dt>
              <dd>{name}</dd>
            </>
          )}
          {profile.nationalIdMasked && (
            <>
              <dt>{t('nationalId')}</dt>
              <dd>{profile.nationalIdMasked}</dd>
            </>
          )}
          <dt>{t('assurance')}</dt>
          <dd>{strong ? t('assuranceStrong') : t('assuranceWeak')}</dd>
          <dt>{t('email')}</dt>
          <dd>{profile.email ?? t('notSet')}</dd>
          <dt>{t('preferredLanguage')}</dt>
          <dd>{profile.preferredLanguage ? <span lang={profile.preferredLanguage}>{LANGUAGE_NAMES[profile.preferredLanguage]}</span> : t('notSet')}</dd>
        </dl>
      </section>
      <p>
        <a href={`/${lang}/my/feedback`}>{translator(feedbackResident, lang)('myFeedbackTitle')}</a>
      </p>
      <p>
        <a href={`/${lang}/my/conversations`}>{translator(inboxMine, lang)('myConversationsTitle')}</a>
      </p>
      <section aria-labelledby="contact-title">
        <h2 id="contact-title">{t('contactTitle')}</h2>
        {result && 'ok' in result && result.ok && (
          <p className="notice" role="status">
            {t('saved')}
          </p>
        )}
        {result && 'message' in result && (
          <p className="alert" role="alert">
            {Object.keys(fields).length ? t('formErrors') : result.message}
          </p>
        )}
        <Form method="post" reloadDocument noValidate>
          <CsrfField />
          {strong ? (
            <div className="field">
              <label htmlFor="email">{t('contactEmailLabel')}</label>
              <p id="email-hint" className="hint">
                {t('contactEmailHint')}
              </p>
              <input
                id="email"
                name="email"
                type="email"
                autoComplete="email"
                maxLength={254}
                defaultValue={profile.email ?? ''}
                aria-invalid={emailError ? true : undefined}
                aria-describedby={emailError ? 'email-hint email-error' : 'email-hint'}
              />
              {emailError && (
                <p id="email-error" className="field-error">
                  {emailError}
                </p>
              )}
            </div>
          ) : (
            <p>{t('weakEmailNote')}</p>
          )}
          <div className="field">
            <label htmlFor="preferredLanguage">{t('languageLabel')}</label>
            <select id="preferredLanguage" name="preferredLanguage" defaultValue={profile.preferredLanguage ?? lang}>
              {languages.map((l) => (
                <option key={l} value={l} lang={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{t('saveContact')}</button>
        </Form>
      </section>
    </div>
  );
}
