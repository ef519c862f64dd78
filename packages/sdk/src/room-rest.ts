import {
  toChatError,
  type ErrorInfo,
  type JoinBody,
  type MessagePage,
  type Participant,
  type Room,
  type RoomView,
  type Viewer,
  type ViewerList,
} from '@groupbuy/protocol';
import type { RestClient, RestResult } from './rest.js';

/** The Room in a REST answer (rooms, join, leave answer the bare Room), or undefined for anything else. */
function roomOf(body: unknown): Room | undefined {
  return typeof body === 'object' && body !== null && typeof (body as Partial<Room>).productId === 'string' ? (body as Room) : undefined;
}

/**
 * One room's REST endpoints under `/api/chat/rooms/{productId}`: every answer updates the clock offset, and
 * a refused write (join, leave) is reported to the session as well as thrown; a failed read is only thrown
 * (its caller decides whether it is worth an `error` event).
 */
export class RoomRest {
  /** serverTime − clientTime in ms, from the latest answer's `Date` header. */
  serverTimeOffsetMs = 0;

  constructor(
    private readonly rest: RestClient,
    private readonly productId: string,
    private readonly failed: (error: ErrorInfo) => void,
  ) {}

  /** `GET /rooms/{id}`: the room snapshot. */
  async room(): Promise<Room | undefined> {
    return roomOf((await this.call('GET', '')).body);
  }

  /** `GET /rooms/{id}/view`: the room, the latest page of history and the buyers, in one request. */
  async view(): Promise<RoomView> {
    return (await this.call<RoomView>('GET', '/view')).body;
  }

  /** `GET /rooms/{id}/messages?{query}`: a page of history (`limit`, `before` or `after`). */
  async messages(query: string): Promise<MessagePage> {
    return (await this.call<MessagePage>('GET', `/messages?${query}`)).body;
  }

  /** `GET /rooms/{id}/participants`: the buyers. */
  async participants(): Promise<readonly Participant[]> {
    return (await this.call<{ participants: Participant[] }>('GET', '/participants')).body.participants;
  }

  /** `GET /rooms/{id}/viewers`: who has the chat open. */
  async viewers(): Promise<readonly Viewer[]> {
    return (await this.call<ViewerList>('GET', '/viewers')).body.viewers;
  }

  /** `POST /rooms/{id}/participants [{ref}]`: joins the deal (through an invite with `ref`, issue 12); resolves with the room after the join. */
  async join(body?: JoinBody): Promise<Room | undefined> {
    return roomOf((await this.call('POST', '/participants', body)).body);
  }

  /** `DELETE /rooms/{id}/participants/me`: leaves the deal; resolves with the room after it. */
  async leave(): Promise<Room | undefined> {
    return roomOf((await this.call('DELETE', '/participants/me')).body);
  }

  /** `POST /rooms/{id}/read {seq}` (issue 12): moves the read position forward; resolves with the unread count after it. */
  async read(seq: number): Promise<{ seq: number; unreadCount: number }> {
    return (await this.call<{ seq: number; unreadCount: number }>('POST', '/read', { seq })).body;
  }

  /** Any route under `/rooms/{id}` (moderation, addresses: issue 11); a refused write is reported as well as thrown. */
  async call<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<RestResult<T>> {
    try {
      const res = await this.rest.request<T>(method, `/rooms/${encodeURIComponent(this.productId)}${path}`, body);
      if (res.serverTimeOffsetMs !== undefined) this.serverTimeOffsetMs = res.serverTimeOffsetMs;
      return res;
    } catch (err) {
      const error = toChatError(err);
      if (method !== 'GET') this.failed(error.toInfo());
      throw error;
    }
  }
}
