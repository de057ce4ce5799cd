import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { pick } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { TableWrap } from '../components/TableWrap.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { formValues } from '../staff/admin-page.ts';
import { Breadcrumbs } from '../staff/catalog-edit-ui.tsx';
import { Notice } from '../staff/inbox-ui.tsx';
import { Field, fieldErrorText, FormProblem, formatMoment, signageAction, unitOptions, useSignageText, type SignageResult } from '../staff/signage-ui.tsx';
import { pageLang, requireStaffPage, runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** Urgent notices: take over all screens (tenant-wide managers) or the screens of chosen units, for a time. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services;
  return runLoader(async () => {
    const access = await s.signage.access(context.actor, context.tenant.id, lang);
    const notices = await s.signage.listNotices(context.actor, context.tenant.id);
    const unitName = new Map(access.units.map((u) => [u.id, pick(u.names, lang).text]));
    const now = s.clock.now().getTime();
    const flash = new URL(request.url).searchParams.get('notice');
    return {
      lang,
      all: access.all,
      units: unitOptions(access, lang),
      notices: notices.map((n) => ({
        ...n,
        text: pick(n.message, lang),
        state: n.active ? ('active' as const) : Date.parse(n.startsAt) > now ? ('upcoming' as const) : ('ended' as const),
        targets: n.unitIds.map((u) => unitName.get(u) ?? '').filter(Boolean),
      })),
      flash: flash === 'created' || flash === 'ended' ? flash : null,
    };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services.signage;
  const v = formValues(await request.formData());
  const one = (k: string) => (Array.isArray(v[k]) ? v[k][0] : (v[k] as string | undefined)) ?? '';
  const intent = one('intent');
  return signageAction(lang, intent, v, async () => {
    if (intent === 'end') {
      await s.endNotice(context.actor, context.tenant.id, one('noticeId'), context.ip);
      return redirect(`/${lang}/staff/signage/notices?notice=ended`);
    }
    const unitIds = one('target') === 'units' ? [v.unitIds ?? []].flat() : [];
    if (one('target') === 'units' && unitIds.length === 0) {
      return { ok: false, intent, message: '', fields: { unitIds: 'required' }, values: v } as SignageResult;
    }
    await s.createNotice(
      context.actor,
      context.tenant.id,
      {
        message: { fi: one('messageFi'), sv: one('messageSv'), en: one('messageEn') },
        severity: one('severity') || undefined,
        unitIds,
        startsAt: one('startsAt') || null,
        endsAt: one('endsAt') || null,
      },
      context.ip,
    );
    return redirect(`/${lang}/staff/signage/notices?notice=created`);
  });
}

const SEVERITY = { info: 'sevInfo', warning: 'sevWarning', danger: 'sevDanger' } as const;
const STATE = { active: 'stateActive', upcoming: 'stateUpcoming', ended: 'stateEnded' } as const;
const MESSAGE_FIELDS = [
  ['messageFi', 'fi'],
  ['messageSv', 'sv'],
  ['messageEn', 'en'],
] as const;

export default function SignageNotices() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData() as SignageResult | undefined;
  const t = useSignageText();
  const { lang } = d;
  const failure = result && !result.ok ? result : null;
  const value = (k: string, fallback = '') => {
    const x = failure?.values[k];
    return (Array.isArray(x) ? x[0] : x) ?? fallback;
  };
  const chosen = new Set([failure?.values.unitIds ?? []].flat());
  const err = (k: string) => fieldErrorText(t, failure?.fields[k]);
  return (
    <>
      <title>{t('noticesTitle')}</title>
      <Breadcrumbs
        t={t}
        items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { href: `/${lang}/staff/signage`, label: t('title') }, { label: t('noticesTitle') }]}
      />
      <h1>{t('noticesTitle')}</h1>
      <p>{t('noticesIntro')}</p>
      {d.flash && (
        <Notice>{t(d.flash === 'created' ? 'noticeCreated' : 'noticeEnded')}</Notice>
      )}
      {d.notices.length === 0 ? (
        <p>{t('noNotices')}</p>
      ) : (
        <TableWrap label={t('noticesTitle')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('colMessage')}</th>
                <th scope="col">{t('severity')}</th>
                <th scope="col">{t('target')}</th>
                <th scope="col">{t('colWhen')}</th>
                <th scope="col">{t('colState')}</th>
                <th scope="col">{t('colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {d.notices.map((n) => (
                <tr key={n.id}>
                  <td lang={n.text.lang !== lang ? n.text.lang : undefined}>{n.text.text}</td>
                  <td>{t(SEVERITY[n.severity])}</td>
                  <td>{n.targets.length ? n.targets.join(', ') : t('allScreens')}</td>
                  <td>
                    {formatMoment(n.startsAt, lang)} – {n.endsAt ? formatMoment(n.endsAt, lang) : t('until')}
                  </td>
                  <td>{t(STATE[n.state])}</td>
                  <td>
                    {n.canEnd && (
                      <Form method="post" className="signage-inline">
                        <CsrfField />
                        <input type="hidden" name="intent" value="end" />
                        <input type="hidden" name="noticeId" value={n.id} />
                        <button type="submit" className="secondary">
                          {t('endNotice')}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}

      <h2 id="new-notice">{t('newNotice')}</h2>
      <FormProblem failure={failure} t={t} />
      <Form method="post" aria-labelledby="new-notice" className="signage-form">
        <CsrfField />
        <input type="hidden" name="intent" value="create" />
        {MESSAGE_FIELDS.map(([name, l]) => (
          <Field key={name} id={`notice-${name}`} label={t(name)} error={name === 'messageFi' ? err('message') : err(`message.${l}`)}>
            {(a) => <textarea {...a} name={name} rows={2} maxLength={500} lang={l} defaultValue={value(name)} />}
          </Field>
        ))}
        <Field id="notice-severity" label={t('severity')} error={err('severity')}>
          {(a) => (
            <select {...a} name="severity" defaultValue={value('severity', 'warning')}>
              {(['danger', 'warning', 'info'] as const).map((x) => (
                <option key={x} value={x}>
                  {t(SEVERITY[x])}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset>
          <legend>{t('target')}</legend>
          {d.all && (
            <div className="checkbox">
              <input type="radio" id="notice-target-all" name="target" value="all" defaultChecked={value('target', 'all') === 'all'} />
              <label htmlFor="notice-target-all">{t('targetAll')}</label>
            </div>
          )}
          <div className="checkbox">
            <input type="radio" id="notice-target-units" name="target" value="units" defaultChecked={!d.all || value('target') === 'units'} />
            <label htmlFor="notice-target-units">{t('targetUnits')}</label>
          </div>
          <fieldset className="signage-units" aria-describedby={err('unitIds') ? 'notice-units-error' : undefined}>
            <legend>{t('colUnit')}</legend>
            {d.units.map((u) => (
              <div className="checkbox" key={u.id}>
                <input type="checkbox" id={`notice-unit-${u.id}`} name="unitIds" value={u.id} defaultChecked={chosen.has(u.id)} />
                <label htmlFor={`notice-unit-${u.id}`} lang={u.name.lang !== lang ? u.name.lang : undefined}>
                  {'\u00a0\u00a0'.repeat(u.depth)}
                  {u.name.text}
                </label>
              </div>
            ))}
            {err('unitIds') && (
              <p id="notice-units-error" className="field-error">
                {err('unitIds')}
              </p>
            )}
          </fieldset>
        </fieldset>
        <Field id="notice-starts" label={t('startsAt')} error={err('startsAt')}>
          {(a) => <input {...a} name="startsAt" type="datetime-local" defaultValue={value('startsAt')} />}
        </Field>
        <Field id="notice-ends" label={t('endsAt')} error={err('endsAt')}>
          {(a) => <input {...a} name="endsAt" type="datetime-local" defaultValue={value('endsAt')} />}
        </Field>
        <button type="submit">{t('publishNotice')}</button>
      </Form>
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
