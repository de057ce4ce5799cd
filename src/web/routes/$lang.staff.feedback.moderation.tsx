import { Form, redirect, useActionData, useLoaderData } from 'react-router';
import { AppError } from '../../platform/errors.ts';
import { pick } from '../../platform/i18n.ts';
import { CsrfField } from '../components/Csrf.tsx';
import { AdminErrorBoundary } from '../staff/AdminParts.tsx';
import { formStrings } from '../staff/admin-page.ts';
import { errText, fbAction, FbBreadcrumbs, FbField, FbNotice, FbProblem, requireFeedbackPage, useFbText, when, type FbFailure } from '../staff/feedback-ui.tsx';
import { runLoader, type ActionArgs, type LoaderArgs } from '../server-helpers.ts';

/**
 * Moderation of public answers: each proposal with its texts, editable, to approve (and
 * publish) or reject with a reason. Moderators (tenant admins implied) only; the service
 * checks the role per case.
 */
export async function loader({ context, params, request }: LoaderArgs) {
  const { lang, user } = requireFeedbackPage(context, request, params);
  return runLoader(async () => {
    const items = await context.services.feedbackPublication.moderationQueue(context.actor, context.tenant.id);
    // A moderator need not handle the unit: link to the case only for those who may open it.
    const handled = await context.services.feedback.handledUnits(user, context.tenant.id);
    const canOpen = (unitId: string) => handled === null || handled.includes(unitId);
    const notice = new URL(request.url).searchParams.get('notice');
    return {
      lang,
      notice: notice === 'approved' || notice === 'rejected' ? notice : null,
      items: items.map((i) => ({ ...i, category: pick(i.categoryNames, lang), unit: pick(i.orgUnitNames, lang), canOpen: canOpen(i.orgUnitId) })),
    };
  });
}

export async function action({ context, params, request }: ActionArgs) {
  const { lang } = requireFeedbackPage(context, request, params);
  const v = formStrings(await request.formData());
  const pub = context.services.feedbackPublication;
  const ctx = { ip: context.ip, origin: context.origin };
  return fbAction(
    lang,
    v.intent ?? '',
    v,
    async () => {
      if (v.intent === 'approve') {
        await pub.approve(context.actor, context.tenant.id, v.id ?? '', { publicDescription: v.publicDescription, publicAnswer: v.publicAnswer }, ctx);
        return redirect(`/${lang}/staff/feedback/moderation?notice=approved`);
      }
      if (v.intent === 'reject') {
        await pub.reject(context.actor, context.tenant.id, v.id ?? '', v.reason, ctx);
        return redirect(`/${lang}/staff/feedback/moderation?notice=rejected`);
      }
      throw new AppError('validation_failed', 400, { fields: { intent: 'invalid' } });
    },
    v.id,
  );
}

export default function Moderation() {
  const { lang, items, notice } = useLoaderData<typeof loader>();
  const failure = useActionData() as FbFailure | undefined;
  const t = useFbText();
  return (
    <>
      <title>{t('moderationTitle')}</title>
      <FbBreadcrumbs t={t} items={[{ href: `/${lang}/staff`, label: t('consoleHome') }, { label: t('moderationTitle') }]} />
      <h1>{t('moderationTitle')}</h1>
      <p>{t('moderationIntro')}</p>
      {notice && !failure && <FbNotice>{t(notice === 'approved' ? 'notice_approved' : 'notice_rejected')}</FbNotice>}
      {failure && <FbProblem message={failure.message} />}
      {items.length === 0 ? (
        <p>{t('moderationEmpty')}</p>
      ) : (
        <ul className="fb-moderation">
          {items.map((i) => {
            const mine = failure?.target === i.id ? failure : undefined;
            const err = (intent: string, field: string) => (mine?.intent === intent ? errText(t, mine.fields[field]) : undefined);
            const val = (field: string, fallback: string) => (mine ? (mine.values[field] ?? fallback) : fallback);
            const heading = `${t('caseTitle', { number: i.number })}: ${i.category.text}`;
            return (
              <li key={i.id} className="fb-box">
                <h2 id={`m-${i.id}`}>{heading}</h2>
                <p className="fb-muted">
                  {i.unit.text} · <time dateTime={i.updatedAt}>{when(i.updatedAt, lang)}</time>
                  {i.proposedBy && <> · {t('proposedBy', { name: i.proposedBy })}</>}
                  {i.canOpen && (
                    <>
                      <br />
                      <a href={`/${lang}/staff/feedback/cases/${i.id}`}>{t('openCase', { number: i.number })}</a>
                    </>
                  )}
                </p>
                <Form method="post" reloadDocument noValidate aria-labelledby={`m-${i.id}`}>
                  <CsrfField />
                  <input type="hidden" name="intent" value="approve" />
                  <input type="hidden" name="id" value={i.id} />
                  <FbField id={`pd-${i.id}`} label={t('publicDescription')} error={err('approve', 'publicDescription')} t={t}>
                    {(aria) => <textarea {...aria} name="publicDescription" rows={4} maxLength={4000} defaultValue={val('publicDescription', i.publicDescription)} />}
                  </FbField>
                  <FbField id={`pa-${i.id}`} label={t('publicAnswerText')} error={err('approve', 'publicAnswer')} t={t}>
                    {(aria) => <textarea {...aria} name="publicAnswer" rows={4} maxLength={4000} defaultValue={val('publicAnswer', i.publicAnswer ?? '')} />}
                  </FbField>
                  {/* Each item's buttons say which case they act on, for screen-reader button lists. */}
                  <button type="submit">
                    {t('approve')}
                    <span className="visually-hidden">: {heading}</span>
                  </button>
                </Form>
                <Form method="post" reloadDocument noValidate aria-labelledby={`m-${i.id}`} className="fb-reject">
                  <CsrfField />
                  <input type="hidden" name="intent" value="reject" />
                  <input type="hidden" name="id" value={i.id} />
                  <FbField id={`rr-${i.id}`} label={t('rejectReason')} error={err('reject', 'reason')} t={t}>
                    {(aria) => <textarea {...aria} name="reason" rows={2} maxLength={1000} defaultValue={mine?.intent === 'reject' ? val('reason', '') : ''} />}
                  </FbField>
                  <button type="submit" className="secondary">
                    {t('reject')}
                    <span className="visually-hidden">: {heading}</span>
                  </button>
                </Form>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
