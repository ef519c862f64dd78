import type { Ack, ChatMessage, ClientCommand, Room, Viewer } from '@groupbuy/protocol';
import type { TypingThrottle, TypingUsers } from './typing.js';
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

const NOBODY: readonly Viewer[] = Object.freeze([]);

/** Who else is typing and the throttle on the user's own typing command (typing.ts). */
interface Typing {
  readonly users: TypingUsers;
  readonly gate: TypingThrottle;
}

/**
 * Issue 12, one room session's activity state: who else is typing, the throttle on the user's own typing
 * command, and the unread count, kept by the session's stream, its sends and the user's reads. The typing
 * half loads on the first typing event or keystroke: a first paint needs none of it.
 */
export class RoomActivity {
  private readonly unread: UnreadCounter;
  private typingState: Typing | undefined;
  private typingLoad: Promise<Typing> | undefined;

  constructor(private readonly host: ActivityHost) {
    this.unread = new UnreadCounter((count) => host.emit('unread', count));
  }

  /** Who else is typing, in the order they started. */
  get typingUsers(): readonly Viewer[] {
    return this.typingState?.users.list ?? NOBODY;
  }

  /** The unread count. */
  get unreadCount(): number {
    return this.unread.value;
  }

  /** The user is typing: one command per throttle window, only while subscribed. */
  typing(): void {
    if (!this.host.live()) return;
    this.withTyping((t) => {
      if (!this.host.live() || !t.gate.take()) return;
      // Best effort: a lost or refused typing command is not worth an error event.
      this.host.command({ type: 'typing', roomId: this.host.productId }).catch(() => undefined);
    });
  }

  /** The user sent a message: the next keystroke may say "typing" again at once. */
  sent(): void {
    this.ifTyping((t) => t.gate.reset());
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
    const sender = message.sender;
    if (sender) this.ifTyping((t) => t.users.drop(sender.userId));
  }

  /** A `typing` event: someone other than the user is typing. */
  typed(user: Viewer): void {
    if (user.userId !== this.host.userId()) this.withTyping((t) => t.users.seen(user));
  }

  /** A `read` event: the user read up to `seq` on another connection. */
  readElsewhere(seq: number): void {
    this.unread.readUpTo(seq, this.host.stored(), this.host.userId());
  }

  /** Forgets who is typing (the subscription ended, the session closed). */
  clear(): void {
    this.ifTyping((t) => t.users.clear());
  }

  // Runs `use` on the typing state once loaded (at once when it is), in call order; a chunk that failed to
  // load is tried again next time.
  private withTyping(use: (typing: Typing) => void): void {
    if (this.typingState) return use(this.typingState);
    this.typingLoad ??= import('./typing.js').then((m) => {
      const users: TypingUsers = new m.TypingUsers(() => this.host.emit('typing', users.list));
      return (this.typingState = { users, gate: new m.TypingThrottle() });
    });
    this.typingLoad.then(use, () => (this.typingLoad = undefined));
  }

  // Runs `use` only when the typing state is loaded or on its way (else there is nobody typing to change).
  private ifTyping(use: (typing: Typing) => void): void {
    if (this.typingState || this.typingLoad) this.withTyping(use);
  }
}
