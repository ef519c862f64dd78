import type { ChatMessage, HistoryQuery, MessagePage } from '@groupbuy/protocol';
import type { ModerationChange, ModerationResult } from '../stores/moderation.js';
import type { AppendResult, ChatStore, NewMessage } from '../stores/types.js';
import type { BlobStore } from './blobs.js';
import type { UrlSigner } from './signing.js';

/** Removes the uploads a message carries, records and blobs (a deleted message's images go with its text). */
export async function deleteMessageAttachments(store: ChatStore, blobs: BlobStore, productId: string, seq: number): Promise<number> {
  const records = await store.attachments.ofMessages(productId, [seq]);
  await removeAttachments(
    store,
    blobs,
    records.map((r) => r.id),
  );
  return records.length;
}

/** Deletes the blobs, then the records (a record without blobs answers 404; a blob without record would leak). */
export async function removeAttachments(store: ChatStore, blobs: BlobStore, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    await blobs.delete(`${id}.full`);
    await blobs.delete(`${id}.preview`);
  }
  if (ids.length > 0) await store.attachments.delete(ids);
}

/**
 * The store as every reader sees it once attachments are on (one wrap in assembleCore): messages leave it
 * with their images and freshly signed URLs (history pages, resume replays and the stored copy a send
 * broadcasts), a send's uploads are claimed before the append and bound to its seq after it, and a
 * deleted message's images are removed. Every other method is the store's own.
 */
export function withAttachments(store: ChatStore, signer: UrlSigner, blobs: BlobStore): ChatStore {
  async function decorate(productId: string, messages: ChatMessage[]): Promise<ChatMessage[]> {
    const seqs = messages.filter((m) => m.type === 'CHAT' && m.deleted !== true).map((m) => m.seq);
    if (seqs.length === 0) return messages;
    const records = await store.attachments.ofMessages(productId, seqs);
    if (records.length === 0) return messages;
    const bySeq = new Map<number, ChatMessage['attachments'] & object>();
    for (const r of records) {
      if (r.messageSeq === null) continue;
      const list = bySeq.get(r.messageSeq) ?? [];
      list.push(signer.attachment(r));
      bySeq.set(r.messageSeq, list);
    }
    return messages.map((m) => {
      const list = bySeq.get(m.seq);
      return list ? { ...m, attachments: list } : m;
    });
  }

  const overrides = {
    page: async (productId: string, query: HistoryQuery): Promise<MessagePage> => {
      const page = await store.page(productId, query);
      return { ...page, messages: await decorate(productId, page.messages) };
    },

    append: async (productId: string, message: NewMessage, nowMs: number): Promise<AppendResult> => {
      const refs = message.attachments;
      if (!refs || refs.length === 0 || message.type !== 'CHAT' || !message.sender) return store.append(productId, message, nowMs);
      // A retry (same clientMsgId) claims the same uploads again; a send without a key gets a fresh one.
      const claimKey = message.clientMsgId ?? globalThis.crypto.randomUUID();
      await store.attachments.claimFor(productId, message.sender.userId, refs, claimKey);
      const result = await store.append(productId, message, nowMs);
      await store.attachments.bindTo(
        productId,
        result.message.seq,
        refs.map((r) => r.id),
      );
      const [decorated] = await decorate(productId, [result.message]);
      return { ...result, message: decorated ?? result.message };
    },

    // A message read by seq carries its images; a deletion takes them along.
    moderation: {
      setMute: store.moderation.setMute.bind(store.moderation),
      muteUntil: store.moderation.muteUntil.bind(store.moderation),
      addReport: store.moderation.addReport.bind(store.moderation),
      reports: store.moderation.reports.bind(store.moderation),
      message: async (productId: string, seq: number): Promise<ChatMessage | null> => {
        const found = await store.moderation.message(productId, seq);
        return found ? ((await decorate(productId, [found]))[0] ?? found) : null;
      },
      moderate: async (productId: string, change: ModerationChange, nowMs: number): Promise<ModerationResult> => {
        const result = await store.moderation.moderate(productId, change, nowMs);
        if (change.kind === 'delete') await deleteMessageAttachments(store, blobs, productId, change.seq);
        return result;
      },
    },
  } satisfies Partial<ChatStore>;

  return new Proxy(store, {
    get(target, prop): unknown {
      if (typeof prop === 'string' && Object.hasOwn(overrides, prop)) return overrides[prop as keyof typeof overrides];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
