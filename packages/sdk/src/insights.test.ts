// Invite links and the seller's funnel (issue 12) through the SDK, over every transport against the real
// server: invite() answers one code, join({ ref }) makes the JOINED event name the inviter, stats() is the
// seller's alone; and the URL helpers a page uses to read and write `gb_ref`.
import { describe, expect, it } from 'vitest';
import { ChatError, INVITE_CODE_PATTERN } from '@groupbuy/protocol';
import { inviteRefFromUrl, inviteUrl, joinBody } from './insights.js';
import { TRANSPORTS, live, testClient, useTestServer } from './test-support/clients.js';
import { createRoom, waitFor } from './test-support/server.js';

const CODE = 'AbCdEfGhIjKlMnOpQrStUv';

describe('invite link helpers', () => {
  it('reads gb_ref from absolute and relative URLs, and null when it is missing or not a code', () => {
    expect(inviteRefFromUrl(`https://shop.example/p/tangerine?color=red&gb_ref=${CODE}#reviews`)).toBe(CODE);
    expect(inviteRefFromUrl(new URL(`https://shop.example/?gb_ref=${CODE}`))).toBe(CODE);
    expect(inviteRefFromUrl(`/p/tangerine?gb_ref=${CODE}`)).toBe(CODE);
    expect(inviteRefFromUrl('https://shop.example/p/tangerine')).toBeNull();
    expect(inviteRefFromUrl('https://shop.example/?gb_ref=user-42')).toBeNull();
    expect(inviteRefFromUrl('https://shop.example/?gb_ref=<script>')).toBeNull();
  });

  it('writes the code into a page URL, replacing an earlier one and keeping the rest', () => {
    const invite = { code: CODE, param: `gb_ref=${CODE}` };
    expect(inviteUrl('https://shop.example/p/tangerine?color=red#reviews', invite)).toBe(
      `https://shop.example/p/tangerine?color=red&gb_ref=${CODE}#reviews`,
    );
    expect(inviteUrl('https://shop.example/?gb_ref=OldOldOldOldOldOldOldO', invite)).toBe(`https://shop.example/?gb_ref=${CODE}`);
    expect(inviteRefFromUrl(inviteUrl('https://shop.example/p/1', invite))).toBe(CODE);
  });

  it('sends a ref shaped like a code and drops anything else, so the join still goes ahead', () => {
    expect(joinBody({ ref: CODE })).toEqual({ ref: CODE });
    for (const ref of [undefined, null, '', 'user-42', 'x'.repeat(500)]) expect(joinBody({ ref })).toBeUndefined();
    expect(joinBody(undefined)).toBeUndefined();
  });
});

describe.each(TRANSPORTS)('invites and stats over $name', (entry) => {
  const env = useTestServer({ inProcess: entry.inProcess ?? false });

  it('joins through an invite: the JOINED event names the inviter and the seller sees them on top', async () => {
    const room = await createRoom(env.url, { hostId: 'seller', maxParticipants: 5 });
    const open = (userId: string) =>
      testClient({ baseUrl: env.url, getToken: env.tokenOf(userId), transport: entry.factory(env) }).room(room.productId);
    const minji = open('minji');
    const bora = open('bora');
    await Promise.all([live(minji, 'minji'), live(bora, 'bora')]);

    const invite = await minji.invite();
    expect(invite.code).toMatch(INVITE_CODE_PATTERN);
    expect(invite.param).toBe(`gb_ref=${invite.code}`);
    expect(await minji.invite()).toEqual(invite);

    const link = inviteUrl('https://shop.example/p/tangerine', invite);
    await bora.join({ ref: inviteRefFromUrl(link) });
    const joined = await waitFor('minji to see bora join', () =>
      minji.messages.find((m) => m.type === 'SYSTEM' && m.event?.type === 'JOINED' && m.event.userId === 'bora'),
    );
    expect(joined.event?.invitedBy).toEqual({ userId: 'minji', name: 'User minji' });
    expect(bora.isParticipant).toBe(true);

    const seller = open('seller');
    await seller.ready();
    const stats = await seller.stats();
    expect(stats).toMatchObject({
      joiners: 1,
      leavers: 0,
      timeToFillMs: null,
      inviters: [{ userId: 'minji', name: 'User minji', joins: 1 }],
    });
    expect(stats.uniqueViewers).toBeGreaterThanOrEqual(2);
    expect(stats.chatters).toBe(2);
    expect(stats.participantsOverTime.map((p) => p.count)).toEqual([1]);

    const refused = await bora.stats().then(
      () => null,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(ChatError);
    expect((refused as ChatError).code).toBe('FORBIDDEN');
  });

  it('joins without an inviter when the code is unknown', async () => {
    const room = await createRoom(env.url);
    const open = (userId: string) =>
      testClient({ baseUrl: env.url, getToken: env.tokenOf(userId), transport: entry.factory(env) }).room(room.productId);
    const chul = open('chul');
    await live(chul, 'chul');
    await chul.join({ ref: CODE });
    const joined = await waitFor('chul to see his join', () =>
      chul.messages.find((m) => m.type === 'SYSTEM' && m.event?.type === 'JOINED'),
    );
    expect(joined.event?.invitedBy).toBeUndefined();
    expect(chul.isParticipant).toBe(true);
  });
});
