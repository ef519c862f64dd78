import { describe, expect, it } from 'vitest';
import { Outbox, type Delivery, type OutboxEntry } from './outbox.js';

function entry(id: string): OutboxEntry {
  return { clientMsgId: id, content: `text ${id}` };
}

/** A deliver function the test answers by hand, one call at a time. */
function manual() {
  const calls: Array<{ entry: OutboxEntry; answer: (d: Delivery) => void }> = [];
  const deliver = (e: OutboxEntry) => new Promise<Delivery>((answer) => calls.push({ entry: e, answer }));
  return { calls, deliver };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Outbox', () => {
  it('delivers in the order the sends were made, one after the other', async () => {
    const sent: string[] = [];
    const settled: string[] = [];
    const outbox = new Outbox(
      async (e) => {
        sent.push(e.clientMsgId);
        return { outcome: 'sent' };
      },
      (e) => settled.push(e.clientMsgId),
    );
    for (const id of ['a', 'b', 'c', 'd', 'e']) outbox.enqueue(entry(id));
    await outbox.flush();
    expect(sent).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(settled).toEqual(sent);
    expect(outbox.size).toBe(0);
  });

  it('waits for each acknowledgement before sending the next', async () => {
    const { calls, deliver } = manual();
    const outbox = new Outbox(deliver, () => {});
    outbox.enqueue(entry('a'));
    outbox.enqueue(entry('b'));
    void outbox.flush();
    await tick();
    expect(calls.map((c) => c.entry.clientMsgId)).toEqual(['a']);
    calls[0]?.answer({ outcome: 'sent' });
    await tick();
    expect(calls.map((c) => c.entry.clientMsgId)).toEqual(['a', 'b']);
  });

  it('keeps an unanswered send at the head and stops until the next flush', async () => {
    const answers: Delivery[] = [{ outcome: 'sent' }, { outcome: 'retry' }];
    const sent: string[] = [];
    const outbox = new Outbox(
      async (e) => {
        sent.push(e.clientMsgId);
        return answers.shift() ?? { outcome: 'sent' };
      },
      () => {},
    );
    for (const id of ['a', 'b', 'c']) outbox.enqueue(entry(id));
    await outbox.flush();
    expect(outbox.ids()).toEqual(['b', 'c']);
    await outbox.flush();
    expect(sent).toEqual(['a', 'b', 'b', 'c']);
    expect(outbox.size).toBe(0);
  });

  it('reports a refused send as failed and goes on with the next', async () => {
    const failed: string[] = [];
    const outbox = new Outbox(
      async (e): Promise<Delivery> =>
        e.clientMsgId === 'b' ? { outcome: 'failed', error: { code: 'RATE_LIMITED', message: 'slow down' } } : { outcome: 'sent' },
      (e, result) => {
        if (result.outcome === 'failed') failed.push(`${e.clientMsgId}:${result.error.code}`);
      },
    );
    for (const id of ['a', 'b', 'c']) outbox.enqueue(entry(id));
    await outbox.flush();
    expect(failed).toEqual(['b:RATE_LIMITED']);
    expect(outbox.size).toBe(0);
  });

  it('tries again at once when asked to flush while a delivery is still waiting to fail', async () => {
    const { calls, deliver } = manual();
    const outbox = new Outbox(deliver, () => {});
    outbox.enqueue(entry('a'));
    const done = outbox.flush();
    await tick();
    void outbox.flush(); // a new connection came up
    calls[0]?.answer({ outcome: 'retry' }); // the old one's send fails
    await tick();
    expect(calls.map((c) => c.entry.clientMsgId)).toEqual(['a', 'a']);
    calls[1]?.answer({ outcome: 'sent' });
    await done;
    expect(outbox.size).toBe(0);
  });

  it('never settles an entry that was removed while in flight (its stored copy came by the stream)', async () => {
    const { calls, deliver } = manual();
    const settled: string[] = [];
    const outbox = new Outbox(deliver, (e) => settled.push(e.clientMsgId));
    outbox.enqueue(entry('a'));
    const done = outbox.flush();
    await tick();
    expect(outbox.isInflight('a')).toBe(true);
    outbox.remove('a');
    calls[0]?.answer({ outcome: 'sent' });
    await done;
    expect(settled).toEqual([]);
  });

  it('fails waiting entries the caller refuses, but not the one in flight', async () => {
    const { calls, deliver } = manual();
    const failed: string[] = [];
    const outbox = new Outbox(deliver, (e, r) => r.outcome === 'failed' && failed.push(e.clientMsgId));
    for (const id of ['a', 'b', 'c']) outbox.enqueue(entry(id));
    void outbox.flush();
    await tick();
    outbox.refuseWaiting(() => ({ code: 'ROOM_NOT_ACTIVE', message: 'cancelled' }));
    expect(failed).toEqual(['b', 'c']);
    expect(outbox.ids()).toEqual(['a']);
    calls[0]?.answer({ outcome: 'sent' });
  });

  it('queues a clientMsgId once', () => {
    const outbox = new Outbox(
      async () => ({ outcome: 'sent' }),
      () => {},
    );
    outbox.enqueue(entry('a'));
    outbox.enqueue(entry('a'));
    expect(outbox.size).toBe(1);
  });
});
