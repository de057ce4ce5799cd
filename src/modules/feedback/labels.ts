import type { Lang } from '../../platform/i18n.ts';
import type { CaseStatus } from './model.ts';

/**
 * Status names as staff say them (the console and the CSV export). The resident's e-mails
 * use notify.ts's STATUS_NAMES, which speak to the resident ("waiting for more
 * information from you").
 */
export const STAFF_STATUS_NAMES: Record<CaseStatus, Record<Lang, string>> = {
  new: { fi: 'Uusi', sv: 'Ny', en: 'New' },
  in_progress: { fi: 'Käsittelyssä', sv: 'Under behandling', en: 'In progress' },
  planned: { fi: 'Suunniteltu', sv: 'Planerad', en: 'Planned' },
  waiting_for_resident: { fi: 'Odottaa asukasta', sv: 'Väntar på invånaren', en: 'Waiting for resident' },
  resolved: { fi: 'Ratkaistu', sv: 'Löst', en: 'Resolved' },
  not_ours: { fi: 'Ei meidän', sv: 'Inte vår', en: 'Not ours' },
  duplicate: { fi: 'Kaksoiskappale', sv: 'Dubblett', en: 'Duplicate' },
  closed: { fi: 'Suljettu', sv: 'Stängd', en: 'Closed' },
};
