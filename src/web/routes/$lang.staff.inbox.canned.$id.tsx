import { data, Form, redirect, useActionData, useLoaderData } from 'react-router';
import { AppError, errorMessage, isAppError } from '../../platform/errors.ts';
import { pick } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { Breadcrumbs } from '../staff/catalog-edit-ui.tsx';
import { ixKey, Problem, useIxText } from '../staff/inbox-ui.tsx';
import { pageLang, requireStaffPage, runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/** New (/canned/new) or existing canned response: a plain form, works without JavaScript. */
export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services;
  return runLoader(async () => {
    s.canned.requireEditor(context.actor, context.tenant.id);
    const isNew = params.id === 'new';
    const existing = isNew ? null : await s.canned.get(s.db, context.tenant.id, params.id ?? '');
    if (!isNew && !existing) throw new AppError('not_found', 404);
    const teams = (await s.conversations.teams(s.db, context.tenant.id)).filter((t) => t.active);
    return {
      lang,
      isNew,
      canned: existing,
      teams: teams.map((t) => ({ id: t.id, name: pick(t.names, lang) })),
    };
  });
}

interface Failure {
  message: string;
  fields: Record<string, string>;
  values: Record<string, string>;
}

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services;
  const form = await request.formData();
  const v: Record<string, string> = {};
  for (const [k, x] of form.entries()) if (typeof x === 'string' && k !== '_csrf') v[k] = x;
  const input = {
    teamId: v.teamId || null,
    shortcut: v.shortcut ?? '',
    titles: { fi: v.titleFi ?? '', sv: v.titleSv ?? '', en: v.titleEn ?? '' },
    bodies: { fi: v.bodyFi ?? '', sv: v.bodySv ?? '', en: v.bodyEn ?? '' },
  };
  try {
    if (v.intent === 'delete') {
      await s.canned.remove(context.actor, context.tenant.id, params.id ?? '');
      return redirect(`/${lang}/staff/inbox/canned?notice=deleted`);
    }
    if (params.id === 'new') await s.canned.create(context.actor, context.tenant.id, input);
    else await s.canned.update(context.actor, context.tenant.id, params.id ?? '', input);
    return redirect(`/${lang}/staff/inbox/canned?notice=saved`);
  } catch (e) {
    let err: AppError | null = isAppError(e) ? e : null;
    if (!err && e instanceof Error && e.name === 'ZodError') {
      const issues = (e as unknown as { issues: { path: (string | number)[]; code: string }[] }).issues;
      err = new AppError('validation_failed', 400, { fields: Object.fromEntries(issues.map((i) => [i.path.map(String).join('.') || 'body', i.code === 'too_big' ? 'too_long' : 'invalid'])) });
    }
    if (!err || err.status >= 500) throw e;
    if (err.status === 401 || err.status === 403 || err.status === 404) throw data({ code: err.code }, { status: err.status });
    const fields = (err.details?.fields as Record<string, string> | undefined) ?? {};
    return data<Failure>({ message: errorMessage(err.code, lang), fields, values: v }, { status: err.status });
  }
}

const FIELDS = [
  ['titleFi', 'titles', 'fi'],
  ['titleSv', 'titles', 'sv'],
  ['titleEn', 'titles', 'en'],
  ['bodyFi', 'bodies', 'fi'],
  ['bodySv', 'bodies', 'sv'],
  ['bodyEn', 'bodies', 'en'],
] as const;

export default function CannedEdit() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData() as Failure | undefined;
  const t = useIxText();
  const { lang, canned } = d;
  const title = d.isNew ? t('cannedNew') : t('cannedEdit');
  const value = (name: string, fallback: string) => failure?.values[name] ?? fallback;
  const fieldError = (name: string, path: string) => failure?.fields[name] ?? failure?.fields[path];
  return (
    <>
      <title>{title}</title>
      <Breadcrumbs
        t={t}
        items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { href: `/${lang}/staff/inbox/canned`, label: t('cannedTitle') }, { label: title }]}
      />
      <h1>{title}</h1>
      {failure && <Problem message={Object.keys(failure.fields).length ? t('formError') : failure.message} />}
      <Form method="post" className="inbox-canned-form">
        <CsrfField />
        <div className="field">
          <label htmlFor="canned-shortcut">{t('shortcutLabel')}</label>
          <p id="canned-shortcut-hint" className="hint">
            {t('shortcutHint')}
          </p>
          <input
            id="canned-shortcut"
            name="shortcut"
            required
            maxLength={40}
            autoCapitalize="none"
            defaultValue={value('shortcut', canned?.shortcut ?? '')}
            aria-describedby={fieldError('shortcut', 'shortcut') ? 'canned-shortcut-hint canned-shortcut-error' : 'canned-shortcut-hint'}
            aria-invalid={fieldError('shortcut', 'shortcut') ? true : undefined}
          />
          {fieldError('shortcut', 'shortcut') && (
            <p id="canned-shortcut-error" className="field-error">
              {t(ixKey(`err_${fieldError('shortcut', 'shortcut') === 'taken' ? 'taken' : 'invalid'}`))}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="canned-team">{t('colTeam')}</label>
          <select id="canned-team" name="teamId" defaultValue={value('teamId', canned?.teamId ?? '')}>
            <option value="">{t('allTeams')}</option>
            {d.teams.map((tm) => (
              <option key={tm.id} value={tm.id} lang={tm.name.lang !== lang ? tm.name.lang : undefined}>
                {tm.name.text}
              </option>
            ))}
          </select>
        </div>
        {FIELDS.map(([name, group, l]) => {
          const err = fieldError(name, group) ?? failure?.fields[`${group}.${l}`];
          const initial = (canned?.[group] as Record<string, string> | undefined)?.[l] ?? '';
          const isBody = group === 'bodies';
          return (
            <div className="field" key={name}>
              <label htmlFor={`canned-${name}`}>{t(ixKey(name))}</label>
              {isBody ? (
                <textarea
                  id={`canned-${name}`}
                  name={name}
                  rows={5}
                  maxLength={4000}
                  lang={l}
                  defaultValue={value(name, initial)}
                  aria-invalid={err ? true : undefined}
                  aria-describedby={err ? `canned-${name}-error` : undefined}
                />
              ) : (
                <input
                  id={`canned-${name}`}
                  name={name}
                  maxLength={120}
                  lang={l}
                  defaultValue={value(name, initial)}
                  aria-invalid={err ? true : undefined}
                  aria-describedby={err ? `canned-${name}-error` : undefined}
                />
              )}
              {err && (
                <p id={`canned-${name}-error`} className="field-error">
                  {t('err_required')}
                </p>
              )}
            </div>
          );
        })}
        <button type="submit">{t('save')}</button>
      </Form>
      {!d.isNew && (
        <Form method="post" className="inbox-canned-delete">
          <CsrfField />
          <input type="hidden" name="intent" value="delete" />
          <button type="submit" className="danger">
            {t('delete')}
          </button>
        </Form>
      )}
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
