import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { AppError } from '../../platform/errors.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { translator } from '../i18n/define.ts';
import { staffAuth } from '../i18n/staff-auth.ts';
import { pageLang, requireStaffPage, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';
import { ErrorSummary, Field } from '../staff/AuthShell.tsx';
import { authHeaders, authAction, formString, type AuthFormFailure } from '../staff/auth.server.ts';

const DONE = ['password_changed', 'totp_enabled', 'totp_disabled'] as const;
type Done = (typeof DONE)[number];

/** Every staff member's own account: password change and the TOTP second factor. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  const user = requireStaffPage(context, request, lang);
  const issuer = `Aukio ${pick(context.tenant.names, context.tenant.defaultLanguage).text}`;
  const totp = await context.services.staffAuth.totpStatus(user, issuer);
  const done = new URL(request.url).searchParams.get('done');
  return { lang, email: user.email, totp, done: (DONE as readonly string[]).includes(done ?? '') ? (done as Done) : null };
}

export const headers = authHeaders;

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const actor = context.actor as typeof context.actor & { kind: 'staff' };
  const auth = context.services.staffAuth;
  const form = await request.formData();
  const intent = formString(form, 'intent', 40);
  const here = `/${lang}/staff/security`;
  return authAction(
    lang,
    {},
    async () => {
      switch (intent) {
        case 'change_password':
          await auth.changePassword({
            actor,
            current: formString(form, 'current'),
            password: formString(form, 'password'),
            confirm: formString(form, 'confirm'),
            ip: context.ip,
          });
          return redirect(`${here}?done=password_changed`);
        case 'totp_begin':
          await auth.beginTotpEnrolment(actor.user);
          return redirect(`${here}#totp`);
        case 'totp_cancel':
          await auth.cancelTotpEnrolment(actor.user);
          return redirect(`${here}#totp`);
        case 'totp_confirm':
          await auth.confirmTotp(actor, formString(form, 'code', 20), context.ip);
          return redirect(`${here}?done=totp_enabled`);
        case 'totp_disable':
          await auth.disableTotp(actor, formString(form, 'code', 20), context.ip);
          return redirect(`${here}?done=totp_disabled`);
        default:
          throw new AppError('bad_request', 400);
      }
    },
    intent,
  );
}

export default function StaffSecurity() {
  const { lang, totp, done } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as AuthFormFailure | undefined;
  const t = translator(staffAuth, lang);
  const pwFail = failure?.intent === 'change_password' ? failure : undefined;
  const totpFail = failure && failure.intent !== 'change_password' ? failure : undefined;
  return (
    <>
      <title>{t('securityTitle')}</title>
      <h1>{t('securityTitle')}</h1>
      {done && (
        <p className="notice" role="status">
          {t(done === 'password_changed' ? 'passwordChanged' : done === 'totp_enabled' ? 'totpEnabled' : 'totpDisabled')}
        </p>
      )}

      <section aria-labelledby="pw-heading">
        <h2 id="pw-heading">{t('changePasswordTitle')}</h2>
        {pwFail && (
          <ErrorSummary
            id="pw-errors"
            message={pwFail.message}
            fields={pwFail.fields}
            labels={{ current: t('currentPassword'), password: t('newPassword'), confirm: t('confirmPassword') }}
          />
        )}
        <Form method="post" reloadDocument noValidate>
          <CsrfField />
          <input type="hidden" name="intent" value="change_password" />
          <Field id="current" label={t('currentPassword')} type="password" autoComplete="current-password" error={pwFail?.fields.current} />
          <Field id="password" label={t('newPassword')} hint={t('newPasswordHint')} type="password" autoComplete="new-password" error={pwFail?.fields.password} />
          <Field id="confirm" label={t('confirmPassword')} type="password" autoComplete="new-password" error={pwFail?.fields.confirm} />
          <button type="submit">{t('changePasswordButton')}</button>
        </Form>
      </section>

      <section aria-labelledby="totp" className="totp-section">
        <h2 id="totp" tabIndex={-1}>
          {t('totpSection')}
        </h2>
        {totpFail && <ErrorSummary id="totp-errors" message={totpFail.message} fields={totpFail.fields} labels={{ code: t('totpCode') }} />}
        {totp.enabled ? (
          <>
            <p>{t('totpOn')}</p>
            <p>{t('totpDisableIntro')}</p>
            <Form method="post" reloadDocument noValidate>
              <CsrfField />
              <input type="hidden" name="intent" value="totp_disable" />
              <Field id="code" label={t('totpCode')} hint={t('totpHint')} autoComplete="one-time-code" inputMode="numeric" maxLength={6} error={totpFail?.fields.code} />
              <button type="submit" className="danger">
                {t('totpDisableButton')}
              </button>
            </Form>
          </>
        ) : totp.pending ? (
          <>
            <p>{t('totpEnrolIntro')}</p>
            {/* Server-made SVG (paths only, see totpQrSvg); role="img" makes its insides one labelled image. */}
            <div className="totp-qr" role="img" aria-label={t('totpQrLabel')} data-testid="totp-qr" dangerouslySetInnerHTML={{ __html: totp.pending.qrSvg }} />
            <dl className="totp-secret">
              <dt>{t('totpSecret')}</dt>
              <dd>
                <code data-testid="totp-secret">{totp.pending.secret}</code>
              </dd>
              <dt>{t('totpUri')}</dt>
              <dd>
                <code className="break">{totp.pending.uri}</code>
              </dd>
            </dl>
            <Form method="post" reloadDocument noValidate>
              <CsrfField />
              <input type="hidden" name="intent" value="totp_confirm" />
              <Field id="code" label={t('totpCode')} hint={t('totpHint')} autoComplete="one-time-code" inputMode="numeric" maxLength={6} error={totpFail?.fields.code} />
              <button type="submit">{t('totpConfirmButton')}</button>
            </Form>
            <Form method="post" reloadDocument>
              <CsrfField />
              <input type="hidden" name="intent" value="totp_cancel" />
              <button type="submit" className="secondary">
                {t('totpCancelButton')}
              </button>
            </Form>
          </>
        ) : (
          <>
            <p>{t('totpOff')}</p>
            <Form method="post" reloadDocument>
              <CsrfField />
              <input type="hidden" name="intent" value="totp_begin" />
              <button type="submit">{t('totpStart')}</button>
            </Form>
          </>
        )}
      </section>
    </>
  );
}
