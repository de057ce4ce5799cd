import { z } from 'zod';
import { LANGUAGES, type Lang, type Localized } from '../../platform/i18n.ts';

/**
 * The feedback module's words (see README.md): a *category* is what residents choose
 * (Open311 "service"); a *case* is one piece of feedback or service request (Open311
 * "service request"); *events* are its history; the *public answer* is the moderated text
 * the portal's feed and Open311 status_notes show.
 */

export const CASE_STATUSES = [
  'new',
  'in_progress',
  'planned',
  'waiting_for_resident',
  'resolved',
  'not_ours',
  'duplicate',
  'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Statuses in which nobody owes the resident anything more: the SLA clock stops. */
export const FINISHED_STATUSES: readonly CaseStatus[] = ['resolved', 'not_ours', 'duplicate', 'closed'];
export const isFinished = (s: CaseStatus) => FINISHED_STATUSES.includes(s);

/** Open311 knows only open and closed. */
export function open311Status(s: CaseStatus): 'open' | 'closed' {
  return isFinished(s) ? 'closed' : 'open';
}

export const ATTRIBUTE_DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const;
export type AttributeDatatype = (typeof ATTRIBUTE_DATATYPES)[number];

export const LOCATION_MODES = ['none', 'optional', 'required'] as const;
export type LocationMode = (typeof LOCATION_MODES)[number];

/** Accessibility feedback must be answered within 14 days (Act 306/2019, section 17). */
export const ACCESSIBILITY_SLA_DAYS = 14;
export const DESCRIPTION_MAX = 4000;

export interface CategoryAttribute {
  /** Open311 attribute code; also the form field name (attr.<code>). */
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  order: number;
  /** The question shown to the resident. */
  description: Localized;
  /** For the list types. */
  values: { key: string; name: Localized }[];
}

export interface Category {
  id: string;
  code: string;
  names: Localized;
  descriptions: Localized;
  groupNames: Localized;
  keywords: Partial<Record<Lang, string[]>>;
  orgUnitId: string;
  serviceId: string | null;
  locationMode: LocationMode;
  allowPublic: boolean;
  accessibility: boolean;
  slaDays: number;
  attributes: CategoryAttribute[];
  active: boolean;
  sortOrder: number;
  updatedAt: string;
}

const text = (max: number) => z.string().trim().max(max, { message: 'too_long' });
const localized = (max: number) =>
  z.strictObject({ fi: text(max).nullish(), sv: text(max).nullish(), en: text(max).nullish() }, { message: 'invalid_type' });

const attributeInput = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'invalid_code' }),
  datatype: z.enum(ATTRIBUTE_DATATYPES, { message: 'invalid_datatype' }),
  required: z.boolean().default(false),
  order: z.number().int().min(0).max(1000).default(0),
  description: localized(300),
  values: z
    .array(z.strictObject({ key: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'invalid_code' }), name: localized(200) }))
    .max(50, { message: 'too_many' })
    .default([]),
});

export const categoryInput = z.strictObject({
  code: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, { message: 'invalid_code' }),
  names: localized(200),
  descriptions: localized(1000).default({}),
  groupNames: localized(200).default({}),
  keywords: z
    .strictObject({
      fi: z.array(text(100)).max(50).optional(),
      sv: z.array(text(100)).max(50).optional(),
      en: z.array(text(100)).max(50).optional(),
    })
    .default({}),
  orgUnitId: z.string({ message: 'required' }),
  serviceId: z.string().nullish(),
  locationMode: z.enum(LOCATION_MODES, { message: 'invalid_value' }).default('optional'),
  allowPublic: z.boolean().default(true),
  accessibility: z.boolean().default(false),
  slaDays: z.number({ message: 'invalid_number' }).int().min(1, { message: 'out_of_range' }).max(365, { message: 'out_of_range' }).default(14),
  attributes: z.array(attributeInput).max(30, { message: 'too_many' }).default([]),
  active: z.boolean().default(true),
  sortOrder: z.number().int().min(0).max(10000).default(0),
});
export type CategoryInput = z.input<typeof categoryInput>;
export const categoryPatch = categoryInput.partial().extend({ updatedAt: z.string({ message: 'required' }).min(1) });

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  locationKept: boolean;
}

/** A file as received from a form or API, before sniffing and EXIF stripping. */
export interface IncomingFile {
  filename: string;
  data: Uint8Array;
  /** The resident ticked "share the photo's location"; otherwise EXIF GPS is removed. */
  keepLocation?: boolean;
}

/**
 * One submission, from the web form, the REST API or Open311. Values are still raw
 * (strings from forms); submit() validates them against the category.
 */
export interface SubmissionInput {
  categoryCode: string;
  description: string;
  /** Attribute values by code; lists as arrays. */
  attributes?: Record<string, string | string[] | number | undefined>;
  lat?: number | null;
  lon?: number | null;
  address?: string | null;
  contactName?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  lang: Lang;
  files?: IncomingFile[];
  /** A client-chosen key: the same key within a day returns the first case. */
  idempotencyKey?: string | null;
  /** The honeypot field's value: anything in it means a bot filled the form. */
  honeypot?: string | null;
}

export interface SubmitContext {
  channel: 'web' | 'open311' | 'staff';
  ip?: string;
  /** The Open311 client (API token) that posted. */
  apiTokenId?: string | null;
  /**
   * Extra facts for the case's "created" event (Open311: mediaUrl, accountId, deviceId),
   * written in the same transaction as the case. Added for open311.ts.
   */
  createdData?: Record<string, unknown>;
}

export interface SubmitResult {
  caseId: string;
  number: number;
  /** Open311 token. */
  token: string;
  /**
   * The private follow-up token (goes into the link /{lang}/feedback/follow/{token});
   * null when this submission repeated an earlier one, whose token is not kept in clear.
   */
  followToken: string | null;
  /** true when this submission repeated one that had already made the case. */
  repeated: boolean;
}

export interface CaseEvent {
  id: string;
  kind: 'created' | 'status' | 'assigned' | 'note' | 'transfer' | 'reply' | 'public_answer' | 'merged' | 'fixed' | 'attachment';
  visibility: 'internal' | 'resident' | 'public';
  actorKind: string;
  actorName: string | null;
  body: string | null;
  data: Record<string, unknown>;
  createdAt: string;
}

/** A case as staff see it (personal data included: reads are audited). */
export interface StaffCase {
  id: string;
  number: number;
  categoryId: string;
  categoryCode: string;
  categoryNames: Localized;
  orgUnitId: string;
  orgUnitNames: Localized;
  status: CaseStatus;
  channel: 'web' | 'open311' | 'staff';
  description: string;
  attributes: Record<string, string | string[]>;
  lat: number | null;
  lon: number | null;
  address: string | null;
  residentId: string | null;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  lang: Lang;
  assignedTo: string | null;
  assignedToName: string | null;
  duplicateOf: string | null;
  duplicateOfNumber: number | null;
  publicDescription: string | null;
  publicAnswer: string | null;
  publication: 'none' | 'pending' | 'published' | 'rejected';
  allowPublic: boolean;
  accessibility: boolean;
  dueAt: string;
  overdue: boolean;
  resolvedAt: string | null;
  fixed: 'yes' | 'no' | null;
  fixedComment: string | null;
  createdAt: string;
  updatedAt: string;
  attachments: Attachment[];
  events: CaseEvent[];
}

/** A row of a staff queue: no contact details. */
export interface QueueItem {
  id: string;
  number: number;
  categoryCode: string;
  categoryNames: Localized;
  orgUnitId: string;
  orgUnitNames: Localized;
  status: CaseStatus;
  channel: string;
  /** The first 200 characters. */
  excerpt: string;
  address: string | null;
  assignedTo: string | null;
  assignedToName: string | null;
  dueAt: string;
  overdue: boolean;
  accessibility: boolean;
  publication: string;
  createdAt: string;
  updatedAt: string;
}

export interface QueueFilter {
  orgUnitId?: string;
  status?: CaseStatus | 'open' | 'finished';
  categoryId?: string;
  assignedTo?: string | 'me' | 'none';
  overdue?: boolean;
  q?: string;
  page?: number;
}

/** The resident's view through the private link or My Aukio: their own text, no staff names. */
export interface ResidentCase {
  id: string;
  number: number;
  categoryNames: Localized;
  status: CaseStatus;
  description: string;
  address: string | null;
  lat: number | null;
  lon: number | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  /** Show "was this fixed?" (resolved and not yet answered). */
  askFixed: boolean;
  fixed: 'yes' | 'no' | null;
  attachments: Attachment[];
  /** Status changes, replies and the public answer; internal notes never. */
  events: { kind: CaseEvent['kind']; body: string | null; data: Record<string, unknown>; createdAt: string }[];
}

/** A published case: the feed page, RSS, map and Open311 GET. */
export interface PublicCase {
  id: string;
  number: number;
  categoryCode: string;
  categoryNames: Localized;
  status: CaseStatus;
  description: string;
  answer: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string;
}

export const isLangValue = (v: unknown): v is Lang => typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
