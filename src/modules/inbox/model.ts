import type { Lang, Localized } from '../../platform/i18n.ts';
import type { ServiceHours } from '../catalog/model.ts';

/** The words of the inbox module; see README.md. */

export const CONVERSATION_STATUSES = ['bot', 'pending', 'open', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export const CONVERSATION_CHANNELS = ['chat', 'email'] as const;
export type ConversationChannel = (typeof CONVERSATION_CHANNELS)[number];
export const PRESENCE = ['online', 'away', 'offline'] as const;
export type Presence = (typeof PRESENCE)[number];
export type AuthorKind = 'resident' | 'agent' | 'bot' | 'system';

/** A message body's limit in characters (the column allows more for e-mail quoting). */
export const MESSAGE_MAX = 4000;
/** A client message id: what the sender picked, so a resend is recognised. */
export const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface Team {
  id: string;
  tenantId: string;
  names: Localized;
  businessHours: ServiceHours[];
  firstResponseSlaMinutes: number;
  resolutionSlaMinutes: number;
  emailAddress: string | null;
  autoAssign: boolean;
  isDefault: boolean;
  sortOrder: number;
  active: boolean;
}

/** A catalog service as the bot shows it (a card with hours and a link). */
export interface ServiceCard {
  kind: 'service' | 'unit' | 'page';
  id: string;
  name: string;
  summary: string;
  /** Resident page path, e.g. /fi/services/<id>. */
  href: string;
  /** "Open now until 16:00"-style line, already localized; null when there are no hours. */
  hours: string | null;
  lang: Lang;
}

/**
 * What a message carries besides its text. Bot answers carry cards and the source of the
 * answer (faq entry id or routing hits) so staff can see what the bot said and why.
 */
export interface MessageData {
  cards?: ServiceCard[];
  attachments?: { id: string; filename: string; contentType: string; size: number }[];
  /**
   * Bot: where the answer came from; 'miss' when it had nothing good enough. `lang` is set
   * when the body is in another language than the conversation's (a curated answer that
   * exists only in that language): render the body with that lang attribute.
   */
  bot?: { source: 'faq' | 'catalog' | 'greeting' | 'handoff' | 'miss'; faqId?: string; score?: number; lang?: Lang };
  /** System messages: what happened (status change, assignment, transfer, csat). */
  event?: { kind: string; [key: string]: unknown };
  /** E-mail messages: the subject and Message-ID they came or went with. */
  email?: { subject?: string; messageId?: string; from?: string };
}

export interface Message {
  id: string;
  conversationId: string;
  seq: number;
  clientId: string | null;
  authorKind: AuthorKind;
  authorId: string | null;
  authorName: string | null;
  internal: boolean;
  body: string;
  data: MessageData;
  createdAt: string;
}

export interface Conversation {
  id: string;
  tenantId: string;
  number: number;
  channel: ConversationChannel;
  status: ConversationStatus;
  teamId: string | null;
  assigneeId: string | null;
  residentId: string | null;
  contactName: string | null;
  contactEmail: string | null;
  lang: Lang;
  subject: string | null;
  origin: string | null;
  lastSeq: number;
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
  botMisses: number;
  handedOffAt: string | null;
  firstResponseAt: string | null;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  resolvedAt: string | null;
  resolvedByBot: boolean;
  snoozedUntil: string | null;
  csatScore: number | null;
  csatComment: string | null;
  residentReadSeq: number;
  createdAt: string;
  updatedAt: string;
}

/** Realtime channels of the inbox (EventBus channel names). */
export const conversationChannel = (tenantId: string, conversationId: string) => `conv:${tenantId}:${conversationId}`;
export const teamChannel = (tenantId: string, teamId: string) => `team:${tenantId}:${teamId}`;
/** Every agent of the tenant: queue changes of conversations without a team. */
export const inboxChannel = (tenantId: string) => `inbox:${tenantId}`;

/**
 * Realtime event types. `message` carries the whole Message when it fits a NOTIFY payload,
 * otherwise only {conversationId, seq} and the receiver reads it (messageFromEvent).
 * `conversation` says a conversation's status, team or assignee changed; `typing` is
 * ephemeral (never stored).
 */
export type InboxEvent =
  | { type: 'message'; data: { conversationId: string; seq: number; message?: Message } }
  | { type: 'conversation'; data: { conversationId: string; status: ConversationStatus; teamId: string | null; assigneeId: string | null; lastSeq: number } }
  | { type: 'typing'; data: { conversationId: string; who: 'resident' | 'agent'; name?: string } };
