import type { ReactNode } from 'react';
import { translator } from '../i18n/define.ts';
import { inboxAdmin, type InboxAdminKey } from '../i18n/inbox-admin.ts';
import { useLang } from '../root.tsx';
import { Breadcrumbs } from './catalog-edit-ui.tsx';
import { fieldId } from './admin-page.ts';

/** Shared pieces of the inbox's team and report pages (console). */
export type IT = ReturnType<typeof translator<(typeof inboxAdmin)['fi']>>;

export function useInboxAdminText(): IT {
  return translator(inboxAdmin, useLang());
}

/** The localized text of a field error code from the service or the form. */
export function inboxErrorText(t: IT, code: string | undefined): string | undefined {
  if (!code) return undefined;
  const key = `err_${code}` as InboxAdminKey;
  return key in inboxAdmin.fi ? t(key) : t('err_invalid');
}

export function InboxBreadcrumbs({ t, items }: { t: IT; items: { href?: string; label: ReactNode }[] }) {
  return <Breadcrumbs t={(k) => t(k)} items={items} />;
}

export function InboxCheck({ name, label, checked, value = '1', describedBy }: { name: string; label: string; checked: boolean; value?: string; describedBy?: string }) {
  const id = fieldId(`${name}-${value}`);
  return (
    <div className="field checkbox">
      <input id={id} type="checkbox" name={name} value={value} defaultChecked={checked} aria-describedby={describedBy} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}
