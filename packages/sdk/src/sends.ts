import { ChatError, LIMITS, normalizeContent, type Ack, type ChatMessage, type ErrorInfo } from '@groupbuy/protocol';
import { toAttachment, type AttachmentInput } from './attachments.js';
import type { LocalMessage, MessageList } from './message-list.js';
import { Outbox, type Delivery, type OutboxEntry } from './outbox.js';
import { OutboxStore, outboxKey, type StoredSend } from './outbox-store.js';
import type { CurrentUser, OutboxStorage } from './types.js';

/** Options of a send. */
export interface SendOptions {
  /** Uploaded images (`room.upload()`) with their alt text, at most 4. */
  attachments?: readonly AttachmentInput[];
}

/** What a session's {@link Sends} need from it. */
export interface SendsHost {
  /** The room the sends go to. */
  readonly productId: string;
  /** The signed-in user, once known. */
  user(): CurrentUser | null;
  /** Now on the server's clock, as ISO 8601 (the optimistic copy's `createdAt`). */
  now(): string;
  /** Makes a client message id. */
  createClientMsgId(): string;
  /** Why a send would be refused now, when the client can tell without asking. */
  refusal(): ErrorInfo | undefined;
  /** True while the room is subscribed on an open connection: only then does the outbox flush. */
  live(): boolean;
  /** Sends one message on the open connection; rejects when it drops. */
  command(entry: OutboxEntry): Promise<Ack>;
  /** The acknowledgement carried the stored message. */
  stored(message: ChatMessage): void;
  /** Acknowledged, but the stored copy has not come by (STOMP acknowledges with a bare RECEIPT): fetch it. */
  unconfirmed(): void;
  /** The message list changed. */
  changed(): void;
  /** A send failed (refused by the server, or by the client on its behalf). */
  failed(error: ErrorInfo, clientMsgId: string): void;
}

/**
 * One room's sends: the optimistic copies in the message list, the outbox that delivers them one at a time,
 * and the persisted copy that brings waiting and failed ones back after a reload.
 */
export class Sends {
  private readonly outbox = new Outbox(
    (entry) => this.deliver(entry),
    (entry, result) => this.settled(entry, result),
  );
  // The persisted outbox, once the user is known (its key names them).
  private store: OutboxStore | undefined;
  // Every clientMsgId this session has had a local copy of: only those are its to rewrite in storage.
  private readonly known = new Set<string>();
  private persistedVersion = -1;
  private closed = false;

  constructor(
    private readonly list: MessageList,
    private readonly host: SendsHost,
  ) {}

  /** Makes the pending copy of `content` and queues it (INVALID_INPUT for content the server would refuse). */
  send(content: string, options: SendOptions = {}): LocalMessage {
    const images = options.attachments ?? [];
    if (images.length > LIMITS.attachmentsPerMessage) {
      throw new ChatError('INVALID_INPUT', `A message can carry at most ${String(LIMITS.attachmentsPerMessage)} images.`);
    }
    // An image may go without words, as the server allows.
    const text = images.length > 0 && content.trim() === '' ? '' : normalizeContent(content);
    const clientMsgId = this.host.createClientMsgId();
    const local = this.localCopy(clientMsgId, text, this.host.now());
    const entry: OutboxEntry = { clientMsgId, content: text };
    if (images.length > 0) {
      local.attachments = images.map(toAttachment);
      entry.attachments = local.attachments.map((a) => ({ id: a.id, alt: a.alt }));
    }
    this.list.putLocal(local);
    this.queue(entry);
    return local;
  }

  /** Queues a failed send again under its clientMsgId. */
  retry(clientMsgId: string): void {
    const local = this.list.getLocal(clientMsgId);
    if (!local || local.status !== 'failed' || this.closed) return;
    this.list.putLocal({ ...local, status: 'pending', error: undefined });
    const entry: OutboxEntry = { clientMsgId, content: local.content };
    if (local.attachments) entry.attachments = local.attachments.map((x) => ({ id: x.id, alt: x.alt }));
    this.queue(entry);
  }

  /** Drops a failed or waiting send (not the one in flight: it may be stored already). */
  discard(clientMsgId: string): void {
    if (this.outbox.isInflight(clientMsgId)) return;
    this.outbox.remove(clientMsgId);
    if (this.list.removeLocal(clientMsgId)) this.host.changed();
  }

  /**
   * The signed-in user is known: the first time, the sends an earlier page left in the persisted outbox of
   * this base URL, user and room come back, pending ahead of anything queued since, or failed as they were.
   */
  restore(storage: OutboxStorage, baseUrl: string): void {
    const user = this.host.user();
    if (this.store || this.closed || !user) return;
    this.store = new OutboxStore(storage, outboxKey(baseUrl, user.userId, this.host.productId));
    const since = this.list.locals();
    const waiting: OutboxEntry[] = [];
    for (const entry of this.store.read()) {
      if (this.list.getLocal(entry.clientMsgId)) continue;
      this.known.add(entry.clientMsgId);
      const local = this.localCopy(entry.clientMsgId, entry.content, entry.createdAt);
      if (entry.error) this.list.putLocal({ ...local, status: 'failed', error: entry.error });
      else {
        this.list.putLocal(local);
        waiting.push({ clientMsgId: entry.clientMsgId, content: entry.content });
      }
    }
    for (const local of since) this.list.putLocal(local); // made on this page: after the earlier ones
    this.outbox.restore(waiting);
    this.host.changed();
    this.refuseWaiting();
    this.flush();
  }

  /** Delivers what waits, if the room is live. */
  flush(): void {
    if (this.host.live()) void this.outbox.flush();
  }

  /** A stored message of this user's arrived: a send waiting under its clientMsgId is done. */
  delivered(message: ChatMessage): void {
    const me = this.host.user()?.userId;
    if (message.clientMsgId !== undefined && (me === undefined || message.sender?.userId === me)) {
      this.outbox.remove(message.clientMsgId);
    }
  }

  /** After a fresh page: a restored send an earlier page did deliver (its acknowledgement lost) is in it, so done. */
  pruneDelivered(): void {
    for (const id of this.outbox.ids()) if (!this.list.getLocal(id)) this.outbox.remove(id);
  }

  /** Fails every waiting send with `error`, or with the session's refusal when none is given. */
  refuseWaiting(error: ErrorInfo | undefined = this.host.refusal()): void {
    if (error) this.outbox.refuseWaiting(() => error);
  }

  /** Writes the local copies to the persisted outbox when they changed since the last write. */
  persist(): void {
    if (!this.store || this.closed || this.list.localVersion === this.persistedVersion) return;
    this.persistedVersion = this.list.localVersion;
    const mine: StoredSend[] = this.list.locals().map((m) => {
      this.known.add(m.clientMsgId);
      const send: StoredSend = { clientMsgId: m.clientMsgId, content: m.content, createdAt: m.createdAt };
      if (m.status === 'failed' && m.error) send.error = { code: m.error.code, message: m.error.message };
      return send;
    });
    this.store.write(mine, this.known);
  }

  /** The session is gone: nothing more is persisted or retried. */
  close(): void {
    this.closed = true;
  }

  // The optimistic copy of a send, pending; a fresh send and one restored from storage look the same.
  private localCopy(clientMsgId: string, content: string, createdAt: string): LocalMessage {
    const user = this.host.user();
    return {
      id: clientMsgId,
      clientMsgId,
      roomId: this.host.productId,
      type: 'CHAT',
      sender: user ? { userId: user.userId, name: user.name } : null,
      content,
      createdAt,
      status: 'pending',
    };
  }

  private queue(entry: OutboxEntry): void {
    this.host.changed();
    const refusal = this.host.refusal();
    if (refusal) {
      this.settled(entry, { outcome: 'failed', error: refusal });
      return;
    }
    this.outbox.enqueue(entry);
    this.flush();
  }

  private async deliver(entry: OutboxEntry): Promise<Delivery> {
    const refusal = this.host.refusal();
    if (refusal) return { outcome: 'failed', error: refusal };
    if (!this.host.live() || this.closed) return { outcome: 'retry' };
    let ack: Ack;
    try {
      ack = await this.host.command(entry);
    } catch {
      return { outcome: 'retry' }; // no answer: resent with the same clientMsgId, stored once
    }
    if (!ack.ok) return { outcome: 'failed', error: ack.error };
    if (ack.message) this.host.stored(ack.message);
    else if (this.list.getLocal(entry.clientMsgId)) this.host.unconfirmed();
    return { outcome: 'sent' };
  }

  private settled(entry: OutboxEntry, result: Exclude<Delivery, { outcome: 'retry' }>): void {
    if (result.outcome !== 'failed') return;
    const local = this.list.getLocal(entry.clientMsgId);
    if (local) {
      this.list.putLocal({ ...local, status: 'failed', error: result.error });
      this.host.changed();
    }
    this.host.failed(result.error, entry.clientMsgId);
  }
}
