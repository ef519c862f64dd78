import type { ChatMessage } from './message.js';
import type { ErrorInfo } from './errors.js';
import type { Room, Viewer } from './room.js';

/**
 * What a live connection delivers, whatever the transport. Each transport maps its frames to these
 * (STOMP: MESSAGE frames with an `x-kind` header; Socket.IO: event names; plain WS: JSON `type`).
 */
export type ServerEvent =
  /** A stored message, live or replayed. */
  | { type: 'message'; roomId: string; message: ChatMessage }
  /**
   * The resume asked for more than the replay window: nothing was replayed. The client reloads the
   * latest page and marks the discontinuity.
   */
  | { type: 'replay-truncated'; roomId: string; sinceSeq: number; lastSeq: number }
  /** The server ended this subscription (for example a watcher when the deal CLOSED). */
  | { type: 'subscription-ended'; roomId: string; error: ErrorInfo }
  /**
   * Who has the room's chat open now on any instance, each user once: `count` of them in all, and the first
   * `LIMITS.viewersListMax` of them (in the order they opened the chat) in `viewers` — the whole list is
   * `GET /api/chat/rooms/{id}/viewers`. Pushed after viewers join or leave (coalesced per room: at most every
   * 250 ms below 100 viewers, every second up to 1,000, every 2 s above) and once after every subscribe. Not stored
   * and not in the seq stream: the latest push wins.
   */
  | { type: 'viewers'; roomId: string; count: number; viewers: Viewer[] }
  /** An error about one command that has no acknowledgement to ride on. */
  | { type: 'error'; roomId?: string; clientMsgId?: string; error: ErrorInfo }
  /**
   * Someone is typing in the room (ephemeral: not stored, not in the seq stream, relayed across instances
   * by the bus). Each event means "for the next `LIMITS.typingExpiryMs`"; a client drops the name after that
   * without news, or at once when that user's message arrives. Never sent back to the typist's own connections.
   */
  | { type: 'typing'; roomId: string; user: Viewer }
  /** This user read up to `seq` on another device or tab: only to that user's own connections. */
  | { type: 'read'; roomId: string; seq: number }
  /** Something only this user is told (never stored in the room, never seen by others). */
  | { type: 'notice'; roomId: string; notice: PrivateNotice };

/** What a `notice` event tells one user. */
export type PrivateNotice =
  /** The PII guard masked phone numbers, e-mail or account numbers in the user's message: use the address form. */
  | { kind: 'PII_MASKED'; seq: number; found: readonly PiiKind[] }
  /** The host or the service muted the user in this room until `until` (ISO-8601). */
  | { kind: 'MUTED'; until: string }
  /** The mute was lifted. */
  | { kind: 'UNMUTED' };

/** What the PII guard recognises in a chat message. */
export type PiiKind = 'phone' | 'email' | 'bankAccount' | 'residentNumber';

/** What a client asks of a live connection, whatever the transport. */
export type ClientCommand =
  /** Start receiving a room; replay everything after `sinceSeq` first when given. */
  | { type: 'subscribe'; roomId: string; sinceSeq?: number }
  /** Stop receiving a room. */
  | { type: 'unsubscribe'; roomId: string }
  /** Post a chat message. `clientMsgId` makes retries idempotent; `attachments` are upload ids (at most 4). */
  | { type: 'send'; roomId: string; content: string; clientMsgId: string; attachments?: readonly AttachmentRef[] }
  /** "I am typing" (the client sends at most one per `LIMITS.typingThrottleMs`; the server drops extras). */
  | { type: 'typing'; roomId: string };

/** An upload named in a send: its id and the alt text the sender gave it. */
export interface AttachmentRef {
  /** The id `POST …/attachments` answered. */
  id: string;
  /** Alt text, 0–200 characters. */
  alt?: string;
}

/** The answer to a command. `message` is the stored message for `send` when the transport carries it. */
export type Ack = { ok: true; message?: ChatMessage; room?: Room } | { ok: false; error: ErrorInfo };

/** Socket.IO event names (client → server events take an ack callback). */
export const SOCKET_IO_EVENTS = {
  /** client → server: `{ roomId, sinceSeq? }`, ack `Ack` with `room`. */
  subscribe: 'subscribe',
  /** client → server: `{ roomId }`, ack `Ack`. */
  unsubscribe: 'unsubscribe',
  /** client → server: `{ roomId, content, clientMsgId, attachments? }`, ack `Ack` with `message`. */
  send: 'send',
  /** client → server: `{ roomId }`, no ack needed; server → client: `{ roomId, user }`. */
  typing: 'typing',
  /** server → client: `{ roomId, seq }` (see the `read` ServerEvent). */
  read: 'read',
  /** server → client: `{ roomId, notice }` (see the `notice` ServerEvent). */
  notice: 'notice',
  /** server → client: `ChatMessage`. */
  message: 'message',
  /** server → client: `{ roomId, sinceSeq, lastSeq }`. */
  replayTruncated: 'replay-truncated',
  /** server → client: `{ roomId, error }`. */
  subscriptionEnded: 'subscription-ended',
  /** server → client: `{ roomId, count, viewers }` (see the `viewers` ServerEvent). */
  viewers: 'viewers',
  /** server → client: `{ roomId?, clientMsgId?, error }`. */
  error: 'chat-error',
} as const;

/** The `type` of non-message JSON objects on the plain WebSocket endpoint (messages use CHAT/SYSTEM/NOTIFICATION). */
export const WS_CONTROL_TYPES = {
  /** `{ type: 'ERROR', error, clientMsgId? }`. */
  error: 'ERROR',
  /** `{ type: 'REPLAY_TRUNCATED', roomId, sinceSeq, lastSeq }`. */
  replayTruncated: 'REPLAY_TRUNCATED',
  /** `{ type: 'SUBSCRIPTION_ENDED', roomId, error }`, then the socket closes. */
  subscriptionEnded: 'SUBSCRIPTION_ENDED',
  /** `{ type: 'VIEWERS', roomId, count, viewers }` (see the `viewers` ServerEvent). Only sent when the URL asks with `viewers=1`. */
  viewers: 'VIEWERS',
  /** Both ways: client `{ type: 'TYPING' }`; server `{ type: 'TYPING', roomId, user }`. */
  typing: 'TYPING',
  /** `{ type: 'READ', roomId, seq }`. */
  read: 'READ',
  /** `{ type: 'NOTICE', roomId, notice }`. */
  notice: 'NOTICE',
  /**
   * `{ type: 'READY', roomId, lastSeq }`: authorised and replayed, live from here. Only sent when the URL
   * asks for it with `ready=1`, so the seed's hook (which appends every frame) sees messages only.
   */
  ready: 'READY',
} as const;

/** SSE event names on `GET /api/chat/rooms/{productId}/events`. */
export const SSE_EVENTS = {
  /** `data:` a Room snapshot; sent on connect and on every change. */
  room: 'room',
  /** `data:` a NOTIFICATION ChatMessage. */
  notification: 'notification',
  /**
   * `data:` `{ roomId, sinceSeq, lastSeq }`, no `id:`: the `Last-Event-ID` asked for more than the replay window,
   * so notices older than the latest `LIMITS.replayWindow` messages are not replayed. The notices inside the
   * window and the current `room` follow.
   */
  replayTruncated: 'replay-truncated',
  /**
   * `data:` `{ roomId, notice }` (a {@link PrivateNotice}, issue 11), no `id:`: something only this feed's signed-in
   * user is told (not stored, not in the seq stream); an anonymous feed never gets one.
   */
  notice: 'notice',
} as const;
