import { CONVERSATION_STATUSES } from './model.ts';

/**
 * The agent inbox list's filter words, shared by the service and the page (kept apart from
 * inbox.ts so the browser bundle does not pull in server code).
 * 'active' = pending and open (the working view, the default); 'all' = every status.
 */
export const LIST_STATUSES = ['active', ...CONVERSATION_STATUSES, 'all'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];
export const LIST_CHANNELS = ['chat', 'email', 'feedback'] as const;
export type ListChannel = (typeof LIST_CHANNELS)[number];
