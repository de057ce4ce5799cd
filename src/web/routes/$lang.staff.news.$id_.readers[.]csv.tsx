import { csvLine } from '../../modules/feedback/export.ts';
import { runLoader, type LoaderArgs } from '../server-helpers.ts';
import { requireNewsPage } from '../staff/news-ui.tsx';

/** The must-read report as CSV (name, e-mail, confirmation time); audited like the page. */
export async function loader({ context, params, request }: LoaderArgs) {
  requireNewsPage(context, request, params);
  return runLoader(async () => {
    const report = await context.services.intranet.readerReport(context.actor, context.tenant.id, params.id ?? '', { ip: context.ip });
    const lines = [
      csvLine(['name', 'email', 'confirmed_at']),
      ...report.confirmed.map((r) => csvLine([r.name, r.email, r.confirmedAt])),
      ...report.notConfirmed.map((r) => csvLine([r.name, r.email, ''])),
    ];
    return new Response(lines.join(''), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="read-confirmations-${report.item.slug}.csv"`,
        'cache-control': 'private, no-store',
      },
    });
  });
}
