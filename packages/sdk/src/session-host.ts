import type { Ack, ClientCommand } from '@groupbuy/protocol';
import type { RestClient } from './rest.js';
import type { Session } from './room-session.js';
import type { ConnectionState, CurrentUser, OutboxStorage } from './types.js';

/** What a session needs from the client that owns the connection. */
export interface SessionHost {
  /** The connection state. */
  readonly state: ConnectionState;
  /** The signed-in user, once known. */
  readonly user: CurrentUser | null;
  /** True while a transport is open and commands can be sent. */
  readonly live: boolean;
  /** REST calls with the client's token. */
  readonly rest: RestClient;
  /** The server's base URL (part of the persisted outbox's key). */
  readonly baseUrl: string;
  /** Where waiting sends are persisted. */
  readonly outboxStorage: OutboxStorage;
  /** Sends a command on the open transport; rejects when there is none or it drops. */
  command(command: ClientCommand): Promise<Ack>;
  /** Makes a client message id. */
  createClientMsgId(): string;
  /** The session was disposed: forget it. */
  forget(session: Session): void;
}
