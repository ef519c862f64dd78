import { useMemo, useSyncExternalStore } from 'react';
import type { ChatClient, OptimisticMessage } from '@groupbuy/sdk';
import { requireClient, useOptionalChatClient } from './provider.js';
import { RoomStore, type RoomSnapshot } from './room-store.js';

/** Options of {@link useGroupBuyRoom}. */
export interface UseGroupBuyRoomOptions {
  /** A client to use instead of the nearest `<ChatClientProvider>`'s. */
  client?: ChatClient;
}

/** What {@link useGroupBuyRoom} returns: the room's latest snapshot and what can be done in it. */
export interface GroupBuyRoom extends RoomSnapshot {
  // Function-valued properties, not methods: they are meant to be passed around unbound (`onClick={room.join}`).
  /** Sends optimistically: the returned copy is in `messages` at once as `pending`, then `sent` or `failed`. */
  readonly sendMessage: (content: string) => OptimisticMessage;
  /** Joins the deal as a buyer; rejects with ChatError ROOM_FULL, ROOM_NOT_ACTIVE … (also in `lastError`). */
  readonly join: () => Promise<void>;
  /** Leaves the deal (while it is ACTIVE). */
  readonly leave: () => Promise<void>;
  /** Loads up to 50 older messages; resolves with how many were added. */
  readonly loadOlder: () => Promise<number>;
  /** Sends a failed message again under the same clientMsgId (the server stores it once). */
  readonly retry: (clientMsgId: string) => void;
  /** Drops a failed or queued message. */
  readonly discard: (clientMsgId: string) => void;
}

/**
 * The live state of one group-buy room, on the SDK's session (gap-free recovery, outbox, optimistic
 * sends) through `useSyncExternalStore`, so a render never shows a torn state. Components of the same
 * client and room share one session and one server subscription. A re-render with the same `productId`
 * changes nothing; another `productId` lets the old room go and opens the new one; unmounting lets go.
 * The returned object is new only when the room changed, and its functions are stable per room.
 */
export function useGroupBuyRoom(productId: string, options: UseGroupBuyRoomOptions = {}): GroupBuyRoom {
  const fromProvider = useOptionalChatClient();
  const client = requireClient(options.client ?? fromProvider);
  const store = useMemo(() => new RoomStore(client, productId), [client, productId]);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getServerSnapshot);
  return useMemo(
    () => ({
      ...snapshot,
      sendMessage: store.sendMessage,
      join: store.join,
      leave: store.leave,
      loadOlder: store.loadOlder,
      retry: store.retry,
      discard: store.discard,
    }),
    [snapshot, store],
  );
}
