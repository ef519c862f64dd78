import type { Ack, ChatMessage, ClientCommand, Room, Viewer } from '@groupbuy/protocol';
import { TypingThrottle, TypingUsers } from './typing.js';
import { UnreadCounter } from './unread.js';
import type { RoomSessionEvents } from './types.js';

/** What a {@link RoomActivity} needs from its room session. */
export interface ActivityHost {
  /** The room (= product) id the typing command names. */
  readonly productId: string;
  /** Emits the session's `typing` or `unread` event. */
  emit<K extends 'typing' | 'unread'>(type: K, payload: RoomSessionEvents[K]): void;
  /** True while subscribed: a typing command is only worth sending then. */
  live(): boolean;
  /** Sends a command on the open connection. */
  command(command: ClientCommand): Promise<Ack>;
  /** `POST …/read {seq}`: resolves with the read position and the unread count after it. */
  read(seq: number): Promise<{ seq: number; unreadCount: number }>;
  /** The signed-in user's id, when known. */
  userId(): string | undefined;
  /** The stored messages loaded so far (what stays unread is counted from them). */
  stored(): readonly ChatMessage[];
}

/**
 * Issue 12, one room session's activity state: who else is typing, the throttle on the user's own typing
 * command, and the unread count, kept by the session's stream, its sends and the user's reads.
 */
export class RoomActivity {
  private readonly typers: TypingUsers;
  private readonly typingGate = new TypingThrottle();
  private readonly unread: UnreadCounter;

  constructor(private readonly host: ActivityHost) {
    this.typers = new TypingUsers(() => host.emit('typing', this.typers.list));
    this.unread = new UnreadCounter((count) => host.emit('unread', count));
  }

  /** Who else is typing, in the order they started. */
  get typingUsers(): readonly Viewer[] {
    return this.typers.list;
  }

  /** The unread count. */
  get unreadCount(): number {
    return this.unread.value;
  }

  /** The user is typing: one command per throttle window, only while subscribed. */
  typing(): void {
    if (!this.host.live() || !this.typingGate.take()) return;
    // Best effort: a lost or refused typing command is not worth an error event.
    this.host.command({ type: 'typing', roomId: this.host.productId }).catch(() => undefined);
  }

  /** The user sent a message: the next keystroke may say "typing" again at once. */
  sent(): void {
    this.typingGate.reset();
  }

  /** Moves the read position to `target` on the server, and the count with the answer. */
  async markRead(target: number): Promise<void> {
    const { seq, unreadCount } = await this.host.read(target);
    this.unread.readUpTo(seq, this.host.stored(), this.host.userId(), unreadCount);
  }

  /** A room snapshot from the server (REST or the subscribe acknowledgement) with its unread count. */
  fromServer(room: Room): void {
    this.unread.fromServer(room.unreadCount, room.lastSeq);
  }

  /** A stored message arrived live: counted, and its sender is no longer typing (it is what they typed). */
  arrived(message: ChatMessage): void {
    this.unread.arrived(message, this.host.userId());
    if (message.sender) this.typers.drop(message.sender.userId);
  }

  /** A `typing` event: someone other than the user is typing. */
  typed(user: Viewer): void {
    if (user.userId !== this.host.userId()) this.typers.seen(user);
  }

  /** A `read` event: the user read up to `seq` on another connection. */
  readElsewhere(seq: number): void {
    this.unread.readUpTo(seq, this.host.stored(), this.host.userId());
  }

  /** Forgets who is typing (the subscription ended, the session closed). */
  clear(): void {
    this.typers.clear();
  }
}
