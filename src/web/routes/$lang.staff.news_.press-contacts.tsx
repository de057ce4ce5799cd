import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { requireNewsEditor } from '../../modules/newsroom/items.ts';
import type { PressContact } from '../../modules/newsroom/press-contacts.ts';
import { AppError } from '../../platform/errors.ts';
import { LANGUAGES, pick, type Lang } from '../../platform/i18n.ts';
import { isUuid } from '../../platform/validation.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { TableWrap } from '../components/TableWrap.tsx';
import { translator } from '../i18n/define.ts';
import { LANG_SUFFIX, newsPressStaff, pressErrorKey } from '../i18n/news-press-staff.ts';
import { pageLang, requireStaffPage, runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { formStrings } from '../staff/admin-page.ts';
import { Breadcrumbs, Field } from '../staff/catalog-edit-ui.tsx';
import { Notice, Problem } from '../staff/inbox-ui.tsx';
import { pressFormFailure, type PressFormFailure } from '../staff/press-room-form.ts';

/**
 * The press room's contact people in the console (communications, publishers): add, edit
 * (?edit=id fills the form), remove, and move up or down. Plain forms with
 * POST-redirect-GET; the press room shows the list in this order.
 */

const NOTICES = ['added', 'saved', 'removed', 'moved'] as const;

export async function loader({ context, params, request }: LoaderArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services;
  return runLoader(async () => {
    requireNewsEditor(context.actor, context.tenant.id);
    const url = new URL(request.url);
    const [contacts, topics] = await Promise.all([s.pressContacts.list(context.tenant.id), s.newsroom.topics(context.tenant.id)]);
    const edit = url.searchParams.get('edit');
    const notice = url.searchParams.get('notice');
    return {
      lang,
      languages: LANGUAGES.filter((l) => context.tenant.languages.includes(l)),
      contacts,
      topics: topics.map((t) => ({ slug: t.slug, name: pick(t.names, lang, [context.tenant.defaultLanguage]) })),
      editing: contacts.find((c) => c.id === edit) ?? null,
      notice: NOTICES.find((n) => n === notice) ?? null,
    };
  });
}

type Failure = PressFormFailure;

export async function action({ context, params, request }: ActionArgs) {
  const lang = pageLang(context, params);
  requireStaffPage(context, request, lang);
  const s = context.services;
  const tenantId = context.tenant.id;
  const form = await request.formData();
  const v = formStrings(form);
  // topics is a list of checkboxes, read in full below; only its last value would be here.
  delete v.topics;
  const topics = form.getAll('topics').filter((x): x is string => typeof x === 'string');
  const here = `/${lang}/staff/news/press-contacts`;
  const input = { name: v.name ?? '', title: { fi: v.titleFi ?? '', sv: v.titleSv ?? '', en: v.titleEn ?? '' }, phone: v.phone ?? '', email: v.email ?? '', topics };
  const ctx = { ip: context.ip };
  try {
    if (v.intent === 'create') {
      await s.pressContacts.create(context.actor, tenantId, input, ctx);
      return redirect(`${here}?notice=added`);
    }
    if (!isUuid(v.id)) throw new AppError('not_found', 404);
    if (v.intent === 'update') {
      await s.pressContacts.update(context.actor, tenantId, v.id, input, ctx);
      return redirect(`${here}?notice=saved`);
    }
    if (v.intent === 'remove') {
      await s.pressContacts.remove(context.actor, tenantId, v.id, ctx);
      return redirect(`${here}?notice=removed`);
    }
    if (v.intent === 'up' || v.intent === 'down') {
      await s.pressContacts.move(context.actor, tenantId, v.id, v.intent, ctx);
      return redirect(`${here}?notice=moved#contact-${v.id}`);
    }
    throw new AppError('validation_failed', 400, { fields: { intent: 'invalid' } });
  } catch (e) {
    return pressFormFailure(e, lang, { intent: v.intent ?? '', values: v, topics });
  }
}

export default function StaffPressContacts() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData() as Failure | undefined;
  const { lang } = d;
  const t = translator(newsPressStaff, lang);
  const editing = d.editing as PressContact | null;
  const formTitle = editing ? t('editContactTitle') : t('addContactTitle');
  const n = d.contacts.length;
  return (
    <>
      <title>{t('contactsTitle')}</title>
      <Breadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { label: t('contactsTitle') }]} />
      <h1>{t('contactsTitle')}</h1>
      <p>{t('contactsIntro')}</p>
      <p>
        <a href={`/${lang}/press#press-contacts-title`}>{t('viewPressRoom')}</a>
      </p>
      {d.notice && <Notice>{t(`notice_${d.notice}`)}</Notice>}

      {n === 0 ? (
        <p>{t('contactsEmpty')}</p>
      ) : (
        <TableWrap label={t('contactsTitle')}>
          <table className="press-staff-contacts">
            <thead>
              <tr>
                <th scope="col">{t('colName')}</th>
                <th scope="col">{t('colContact')}</th>
                <th scope="col">{t('colTopics')}</th>
                <th scope="col">{t('colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {d.contacts.map((c, i) => {
                const title = pick(c.title, lang);
                return (
                  <tr key={c.id} id={`contact-${c.id}`}>
                    <th scope="row">
                      {c.name}
                      {title.text && (
                        <>
                          <br />
                          <span className="hint" lang={title.lang !== lang ? title.lang : undefined}>
                            {title.text}
                          </span>
                        </>
                      )}
                    </th>
                    <td>
                      {c.phone && <div>{c.phone}</div>}
                      {c.email && <div>{c.email}</div>}
                    </td>
                    <td>
                      {c.topics.length
                        ? c.topics.map((slug) => d.topics.find((x) => x.slug === slug)?.name.text ?? slug).join(', ')
                        : t('allTopics')}
                    </td>
                    <td>
                      <div className="press-staff-actions">
                        <a href={`?edit=${c.id}#contact-form-title`} aria-label={t('editContact', { name: c.name })}>
                          {t('edit')}
                        </a>
                        {i > 0 && <RowButton id={c.id} intent="up" label={t('moveUp', { name: c.name })} text="↑" />}
                        {i < n - 1 && <RowButton id={c.id} intent="down" label={t('moveDown', { name: c.name })} text="↓" />}
                        <RowButton id={c.id} intent="remove" label={t('removeContact', { name: c.name })} text={t('remove')} danger />
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}

      <section aria-labelledby="contact-form-title" className="press-staff-form">
        <h2 id="contact-form-title">{formTitle}</h2>
        {failure && <Problem message={Object.keys(failure.fields).length ? t('formErrors') : failure.message} />}
        <ContactForm key={editing?.id ?? 'new'} editing={editing} failure={failure} languages={d.languages} topics={d.topics} lang={lang} />
      </section>
    </>
  );
}

function RowButton({ id, intent, label, text, danger }: { id: string; intent: string; label: string; text: string; danger?: boolean }) {
  return (
    <Form method="post" reloadDocument>
      <CsrfField />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      <button type="submit" className={danger ? 'danger' : 'secondary'} aria-label={label}>
        {text}
      </button>
    </Form>
  );
}

function ContactForm({
  editing,
  failure,
  languages,
  topics,
  lang,
}: {
  editing: PressContact | null;
  failure?: Failure;
  languages: Lang[];
  topics: { slug: string; name: { text: string; lang: Lang } }[];
  lang: Lang;
}) {
  const t = translator(newsPressStaff, lang);
  const value = (name: string, fallback: string) => failure?.values[name] ?? fallback;
  const err = (field: string) => (failure?.fields[field] ? t(pressErrorKey(failure.fields[field])) : undefined);
  const cap = (l: Lang) => (l === 'fi' ? 'Fi' : l === 'sv' ? 'Sv' : 'En');
  const chosen = failure ? (failure.topics ?? []) : (editing?.topics ?? []);
  return (
    <Form method="post" reloadDocument>
      <CsrfField />
      <input type="hidden" name="intent" value={editing ? 'update' : 'create'} />
      {editing && <input type="hidden" name="id" value={editing.id} />}
      <Field t={t} name="contact-name" label={t('name')} error={err('name')}>
        {(aria) => <input {...aria} type="text" name="name" required maxLength={120} autoComplete="off" defaultValue={value('name', editing?.name ?? '')} />}
      </Field>
      {languages.map((l) => (
        <Field key={l} t={t} name={`contact-title-${l}`} label={t('jobTitle', { lang: t(LANG_SUFFIX[l]) })} error={err(`title.${l}`)}>
          {(aria) => <input {...aria} type="text" name={`title${cap(l)}`} maxLength={150} lang={l} defaultValue={value(`title${cap(l)}`, editing?.title[l] ?? '')} />}
        </Field>
      ))}
      <Field t={t} name="contact-phone" label={t('phone')} hint={t('phoneHint')} error={err('phone')}>
        {(aria) => <input {...aria} name="phone" type="tel" maxLength={40} autoComplete="off" defaultValue={value('phone', editing?.phone ?? '')} />}
      </Field>
      <Field t={t} name="contact-email" label={t('email')} error={err('email')}>
        {(aria) => <input {...aria} name="email" type="email" maxLength={200} autoComplete="off" defaultValue={value('email', editing?.email ?? '')} />}
      </Field>
      {topics.length > 0 && (
        <fieldset aria-describedby="contact-topics-hint">
          <legend>{t('topics')}</legend>
          <p id="contact-topics-hint" className="hint">
            {t('topicsHint')}
          </p>
          {err('topics') && <p className="field-error">{err('topics')}</p>}
          {topics.map((tp) => (
            <div className="checkbox" key={tp.slug}>
              <input type="checkbox" id={`contact-topic-${tp.slug}`} name="topics" value={tp.slug} defaultChecked={chosen.includes(tp.slug)} />
              <label htmlFor={`contact-topic-${tp.slug}`} lang={tp.name.lang !== lang ? tp.name.lang : undefined}>
                {tp.name.text}
              </label>
            </div>
          ))}
        </fieldset>
      )}
      <div className="press-staff-actions">
        <button type="submit">{editing ? t('save') : t('addContact')}</button>
        {editing && <a href="?">{t('cancel')}</a>}
      </div>
    </Form>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
