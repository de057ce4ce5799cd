import { useEffect, useState, type ReactNode } from 'react';
import { useRouteLoaderData } from 'react-router';
import type { ConversationStatus } from '../../modules/inbox/model.ts';
import type { SlaState } from '../../modules/inbox/inbox.ts';
import { localParts, localToInstant } from '../../modules/catalog/opening-hours.ts';
import type { Lang } from '../../platform/i18n.ts';
import { inboxAgent, type InboxAgentKey } from '../i18n/inbox-agent.ts';
import { translator } from '../i18n/define.ts';
import type { RootData } from '../root.tsx';
import { useLang } from '../root.tsx';

/**
 * Shared parts of the agent inbox pages: texts, status and SLA badges (breach says so in
 * words and with an icon, never by colour alone), Helsinki times, and the single-key
 * shortcut switch.
 *
 * Shortcuts and WCAG 2.1.4: single-character shortcuts can be turned off with a checkbox
 * in the "Keyboard shortcuts" disclosure (remembered in this browser), and they never
 * fire while focus is in a text field, select or button-like control that takes typing.
 * Ctrl+Enter (send) is not a single-character shortcut and always works in the reply box.
 */

export type IT = ReturnType<typeof translator<(typeof inboxAgent)['fi']>>;
export const useIxText = (): IT => translator(inboxAgent, useLang());
export const ixText = (lang: Lang): IT => translator(inboxAgent, lang);
export const ixKey = (k: string) => k as InboxAgentKey;

const LOCALES: Record<Lang, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/** Short Finnish-time stamp: "6.12. klo 10.15" style, per language. */
export function when(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'Europe/Helsinki', day: 'numeric', month: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** datetime-local value (Helsinki wall clock) ↔ instant. */
export function helsinkiInputValue(instant: number): string {
  const { date, minutes } = localParts(instant);
  return `${date}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
export function fromHelsinkiInput(v: string | undefined): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(v ?? '');
  if (!m) return null;
  return new Date(localToInstant(m[1], Number(m[2]) * 60 + Number(m[3]))).toISOString();
}

export function StatusBadge({ status, t }: { status: ConversationStatus; t: IT }) {
  return <span className={`badge inbox-status inbox-status-${status}`}>{t(ixKey(`status_${status}`))}</span>;
}

export function SlaLine({ sla, lang, t }: { sla: SlaState; lang: Lang; t: IT }) {
  if (sla.breached) {
    return (
      <strong className="inbox-sla-state inbox-sla-breached">
        <span aria-hidden="true">⚠ </span>
        {t('slaBreached')}
      </strong>
    );
  }
  const due = sla.firstResponseDueAt ? t('slaFirstDue', { time: when(sla.firstResponseDueAt, lang) }) : sla.resolutionDueAt ? t('slaResolveDue', { time: when(sla.resolutionDueAt, lang) }) : null;
  return due ? <span className="inbox-sla-state">{due}</span> : null;
}

export function useCsrfToken(): string {
  return (useRouteLoaderData('root') as RootData | undefined)?.csrfToken ?? '';
}

const SHORTCUTS_KEY = 'aukio.inbox.shortcuts';

/** Whether single-key shortcuts are on (default on; the switch turns them off). */
export function useShortcutsOn(): [boolean, (v: boolean) => void] {
  const [on, setOn] = useState(true);
  useEffect(() => {
    setOn(window.localStorage.getItem(SHORTCUTS_KEY) !== 'off');
  }, []);
  return [
    on,
    (v: boolean) => {
      window.localStorage.setItem(SHORTCUTS_KEY, v ? 'on' : 'off');
      setOn(v);
    },
  ];
}

/** True when a key press belongs to typing (a text field, select or editable element). */
export function isTyping(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'TEXTAREA' || tag === 'SELECT' || (tag === 'INPUT' && !['checkbox', 'radio', 'submit', 'button'].includes((el as HTMLInputElement).type)) || el.isContentEditable;
}

/** The "Keyboard shortcuts" disclosure with the on/off switch. */
export function ShortcutsHelp({ t, keys, on, setOn, open, onToggle }: { t: IT; keys: InboxAgentKey[]; on: boolean; setOn: (v: boolean) => void; open?: boolean; onToggle?: (open: boolean) => void }) {
  return (
    <details className="inbox-shortcuts" open={open} onToggle={(e) => onToggle?.((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{t('shortcutsTitle')}</summary>
      <p>{t('shortcutsIntro')}</p>
      <div className="field checkbox">
        <input id="inbox-shortcuts-on" type="checkbox" checked={on} onChange={(e) => setOn(e.currentTarget.checked)} />
        <label htmlFor="inbox-shortcuts-on">{t('shortcutsToggle')}</label>
      </div>
      <ul>
        {keys.map((k) => (
          <li key={k}>{t(k)}</li>
        ))}
      </ul>
    </details>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="notice" role="status">
      <p>{children}</p>
    </div>
  );
}

export function Problem({ message }: { message: string }) {
  return (
    <div className="alert" role="alert">
      <p>{message}</p>
    </div>
  );
}
