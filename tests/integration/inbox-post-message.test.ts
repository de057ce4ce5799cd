import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/engines.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

/*
 * postMessage stores the message and moves the conversation on in one statement: what it
 * returns must be exactly what is stored, and a resend must change nothing at all.
 */

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`inbox postMessage (${engine.name})`, () => {
    let app: TestApp;
    let tenantId: string;

    beforeAll(async () => {
      app = await startTestApp(engine.name);
      tenantId = (await app.services.db.query<{ id: string }>(`select id from tenants where slug = 'esimerkkila'`)).rows[0].id;
    }, 120_000);
    afterAll(() => app?.close());

    const start = () =>
      app.services.db.transaction((tx) => app.services.conversations.start(tx, tenantId, { channel: 'chat', lang: 'fi', status: 'bot', withVisitorToken: true }));

    it('returns the stored message and conversation, with the preview cut at 140 characters', async () => {
      const { conversation } = await start();
      const c = app.services.conversations;
      // Emoji are one character for PostgreSQL's left() but two UTF-16 units in JavaScript.
      const body = `Hei\n\n  ${'🙂'.repeat(150)}`;
      const r = await app.services.db.transaction((tx) =>
        c.postMessage(tx, tenantId, conversation.id, { clientId: 'p1', authorKind: 'resident', authorName: 'Maija', body }),
      );
      const stored = (await c.messagesAfter(app.services.db, tenantId, conversation.id, 0, { includeInternal: true }))[0];
      expect(r.duplicate).toBe(false);
      expect(r.message).toEqual(stored);
      expect(r.message).toMatchObject({ seq: 1, clientId: 'p1', authorKind: 'resident', authorName: 'Maija', internal: false, body: body.trim() });
      expect(typeof r.message.id).toBe('string');
      expect(r.conversation).toEqual(await c.get(app.services.db, tenantId, conversation.id));
      expect(r.conversation.lastSeq).toBe(1);
      expect(r.conversation.lastMessagePreview).toBe(`Hei ${'🙂'.repeat(136)}`);
      expect(r.conversation.lastMessageAt).toBe(r.message.createdAt);
    });

    it('changes nothing on a resend, and numbers messages without a client id each time', async () => {
      const { conversation } = await start();
      const c = app.services.conversations;
      const post = (clientId: string | null, body: string) =>
        app.services.db.transaction((tx) => c.postMessage(tx, tenantId, conversation.id, { clientId, authorKind: 'resident', body }));
      const first = await post('same', 'Ensimmäinen');
      const after = await c.get(app.services.db, tenantId, conversation.id);
      const again = await post('same', 'Eri teksti samalla tunnisteella');
      expect(again.duplicate).toBe(true);
      expect(again.message).toEqual(first.message);
      expect(await c.get(app.services.db, tenantId, conversation.id)).toEqual(after);
      const a = await post(null, 'Ilman tunnistetta');
      const b = await post(null, 'Ilman tunnistetta');
      expect([a.message.seq, b.message.seq, a.duplicate, b.duplicate]).toEqual([2, 3, false, false]);
      const all = await c.messagesAfter(app.services.db, tenantId, conversation.id, 0, { includeInternal: true });
      expect(all.map((m) => m.body)).toEqual(['Ensimmäinen', 'Ilman tunnistetta', 'Ilman tunnistetta']);
    });
  });
}
