import { expect } from 'vitest';
import type { NewsItem } from '../../src/modules/newsroom/model.ts';
import type { staffClient } from './staff-session.ts';

type Client = Awaited<ReturnType<typeof staffClient>>;

/** Writing items through the staff API: an editor creates and submits, a publisher approves and publishes. */
export function newsroomWriter(editor: Client, publisher: Client) {
  const create = async (body: Record<string, unknown>) => {
    const r = await editor.api('POST', '/api/v1/news/items', body);
    expect(r.status, await r.clone().text()).toBe(201);
    return (await r.json()) as NewsItem;
  };
  const publish = async (item: Pick<NewsItem, 'id'>) => {
    expect((await editor.api('POST', `/api/v1/news/items/${item.id}/transitions`, { action: 'submit' })).status).toBe(200);
    const r = await publisher.api('POST', `/api/v1/news/items/${item.id}/transitions`, { action: 'approve', publish: true });
    expect(r.status, await r.clone().text()).toBe(200);
    return (await r.json()) as NewsItem;
  };
  return { create, publish };
}
