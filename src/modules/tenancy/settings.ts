import { z } from 'zod';
import type { Db } from '../../platform/db.ts';
import type { EventBus } from '../../platform/events.ts';
import { LANGUAGES, type Lang, type Localized } from '../../platform/i18n.ts';
import type { AuditService } from '../audit/audit.ts';
import type { Actor } from '../identity/actor.ts';
import type { Tenant, TenancyService, TenantContact, TenantSettingsPatch, TenantTheme } from './tenants.ts';

/**
 * Event-bus channel on which a committed settings change tells every instance to drop
 * its cached tenants. It never reaches browsers: SSE serves only tenant:/user: channels.
 */
export const TENANCY_CHANNEL = 'system:tenancy';

/** Long enough for a full accessibility statement, short enough to keep rows sane. */
export const STATEMENT_MAX = 20_000;
// Loose on purpose: the mail server decides; this catches typos like a missing @.
const EMAIL_RE = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

// Browsers send textarea line breaks as CRLF; paragraphs are split on blank LF lines.
const text = (max: number) =>
  z
    .string()
    .overwrite((s) => s.replace(/\r\n?/g, '\n'))
    .trim()
    .max(max, 'too_long');
const localized = (max: number) =>
  z.object({ fi: text(max).optional(), sv: text(max).optional(), en: text(max).optional() }).strict();

/**
 * A settings change as clients send it (PATCH semantics): every field is optional; a
 * localized field changes only the languages given; an empty string clears an optional
 * value. Colours and the logo URL are checked by TenancyService.updateSettings.
 */
export const tenantSettingsInput = z
  .object({
    names: localized(200).optional(),
    languages: z.array(z.enum(LANGUAGES, 'invalid_language')).min(1, 'at_least_one').max(3).optional(),
    defaultLanguage: z.enum(LANGUAGES, 'invalid_language').optional(),
    theme: z
      .object({ primary: text(20).optional(), accent: text(20).optional(), logoUrl: text(500).optional() })
      .strict()
      .optional(),
    contact: z
      .object({
        phone: text(40)
          .regex(/^[+0-9 ()-]*$/, 'phone')
          .optional(),
        email: text(200)
          .refine((v) => v === '' || EMAIL_RE.test(v), 'email')
          .optional(),
        address: localized(300).optional(),
        url: text(500)
          .refine((v) => v === '' || /^https:\/\/[^\s"'<>]+$/.test(v), 'url')
          .optional(),
      })
      .strict()
      .optional(),
    accessibilityStatement: localized(STATEMENT_MAX).optional(),
    privacyNotice: localized(STATEMENT_MAX).optional(),
  })
  .strict();

export type TenantSettingsInput = z.output<typeof tenantSettingsInput>;

/** What an admin (or an admin:settings token) reads and edits. */
export interface TenantSettings {
  names: Localized;
  languages: Lang[];
  defaultLanguage: Lang;
  theme: TenantTheme;
  contact: TenantContact;
  accessibilityStatement: Localized;
  privacyNotice: Localized;
}

export function settingsOf(t: Tenant): TenantSettings {
  return {
    names: t.names,
    languages: t.languages,
    defaultLanguage: t.defaultLanguage,
    theme: t.theme,
    contact: t.contact,
    accessibilityStatement: t.accessibilityStatement,
    privacyNotice: t.privacyNotice,
  };
}

function mergeLocalized(current: Localized | undefined, patch: Partial<Record<Lang, string>> | undefined): Localized {
  const out: Localized = { ...(current ?? {}) };
  if (!patch) return out;
  for (const l of LANGUAGES) {
    const v = patch[l];
    if (v === undefined) continue;
    if (v) out[l] = v;
    else delete out[l];
  }
  return out;
}

function setOrClear<T extends object>(obj: T, key: keyof T, v: string | undefined) {
  if (v === undefined) return;
  if (v) (obj as Record<string, unknown>)[key as string] = v;
  else delete (obj as Record<string, unknown>)[key as string];
}

/** Applies the input to the current settings: the full values after the change. */
export function applySettingsInput(current: TenantSettings, input: TenantSettingsInput): TenantSettings {
  const theme: TenantTheme = { ...current.theme };
  if (input.theme) {
    if (input.theme.primary !== undefined) theme.primary = input.theme.primary;
    if (input.theme.accent !== undefined) theme.accent = input.theme.accent;
    setOrClear(theme, 'logoUrl', input.theme.logoUrl);
  }
  const contact: TenantContact = { ...current.contact };
  if (input.contact) {
    setOrClear(contact, 'phone', input.contact.phone);
    setOrClear(contact, 'email', input.contact.email);
    setOrClear(contact, 'url', input.contact.url);
    if (input.contact.address) {
      const address = mergeLocalized(current.contact.address, input.contact.address);
      if (Object.keys(address).length) contact.address = address;
      else delete contact.address;
    }
  }
  // Stored in the canonical fi, sv, en order so a reordered list is not a change.
  const languages = input.languages ? LANGUAGES.filter((l) => input.languages!.includes(l)) : current.languages;
  return {
    names: mergeLocalized(current.names, input.names),
    languages,
    defaultLanguage: input.defaultLanguage ?? current.defaultLanguage,
    theme,
    contact,
    accessibilityStatement: mergeLocalized(current.accessibilityStatement, input.accessibilityStatement),
    privacyNotice: mergeLocalized(current.privacyNotice, input.privacyNotice),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The names of the fields that differ, one level deep (e.g. theme.primary,
 * accessibilityStatement.sv), for the audit log. Values are not logged: the statements
 * are long and the contact details may name a person.
 */
export function changedFields(before: TenantSettings, after: TenantSettings): string[] {
  const out: string[] = [];
  for (const key of Object.keys(after) as (keyof TenantSettings)[]) {
    const a = before[key];
    const b = after[key];
    if (same(a, b)) continue;
    if (key === 'languages' || key === 'defaultLanguage') {
      out.push(key);
      continue;
    }
    const ao = a as unknown as Record<string, unknown>;
    const bo = b as unknown as Record<string, unknown>;
    const subkeys = [...new Set([...Object.keys(ao ?? {}), ...Object.keys(bo ?? {})])].sort();
    for (const sub of subkeys) if (!same(ao?.[sub], bo?.[sub])) out.push(`${key}.${sub}`);
  }
  return out;
}

/**
 * Tenant settings as an admin changes them: validated, applied, audited
 * (admin.settings_changed with the changed field names) in one transaction, and the tenant
 * cache of every instance dropped once it commits, so the portal shows the change at once.
 */
export class TenantSettingsService {
  constructor(
    private db: Db,
    private tenancy: TenancyService,
    private audit: AuditService,
    private events: EventBus,
  ) {}

  async get(tenantId: string): Promise<TenantSettings> {
    return settingsOf(await this.tenancy.get(tenantId));
  }

  /** Returns the changed field names (empty when the input changed nothing) and the new settings. */
  async change(tenantId: string, actor: Actor, input: TenantSettingsInput): Promise<{ changed: string[]; settings: TenantSettings }> {
    const result = await this.db.transaction(async (tx) => {
      // Lock the row so two admins saving at once apply one after the other.
      await tx.query('select 1 from tenants where id = $1 for update', [tenantId]);
      const before = settingsOf(await this.tenancy.get(tenantId, tx));
      const after = applySettingsInput(before, input);
      const changed = changedFields(before, after);
      if (changed.length === 0) return { changed, settings: before };
      const patch: TenantSettingsPatch = {};
      for (const key of new Set(changed.map((f) => f.split('.')[0] as keyof TenantSettings))) {
        (patch as Record<string, unknown>)[key] = after[key];
      }
      await this.tenancy.updateSettings(tx, tenantId, patch);
      await this.audit.record(tx, tenantId, actor, {
        action: 'admin.settings_changed',
        targetKind: 'tenant',
        targetId: tenantId,
        details: { fields: changed },
      });
      await this.events.publish(tx, { channel: TENANCY_CHANNEL, type: 'tenant.settings_changed', data: { tenantId } });
      return { changed, settings: after };
    });
    // After commit: a request between updateSettings' own clear and the commit may have
    // cached the old row again.
    if (result.changed.length) this.tenancy.invalidate();
    return result;
  }
}
