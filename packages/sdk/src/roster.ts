import { roomRelation, type ChatMessage, type Participant, type Room, type RoomRelation, type Viewer } from '@groupbuy/protocol';
import { coalesce } from './coalesce.js';
import type { CurrentUser } from './types.js';

/** What a {@link Roster} needs from its session. */
export interface RosterHost {
  /** Reads the buyers (`GET …/participants`); rejects on failure (the session reports it). */
  fetchParticipants(): Promise<readonly Participant[]>;
  /** The room as the session knows it, or null before it was read. */
  room(): Room | null;
  /** A list changed: `participants` or `viewers`. */
  changed(list: 'participants' | 'viewers'): void;
}

/** What a SYSTEM message did to the participant list (see {@link Roster.apply}). */
export type RosterUpdate = 'none' | 'applied' | 'stale';

// The participant list before its first read, or as read plus the JOINED/LEFT messages applied since.
type Participants = { readonly kind: 'unread' } | { readonly kind: 'read'; readonly list: readonly Participant[]; readonly seq: number };

/**
 * Who is in a room: the buyers (read over REST, then kept current from the stream's SYSTEM JOINED/LEFT
 * messages instead of every open client re-reading the list on every join of a busy deal), who has the chat
 * open (pushed by the server as `viewers` events, never polled), and what the signed-in user is to the room (host, buyer).
 */
export class Roster {
  private state: Participants = { kind: 'unread' };
  private seen: readonly Viewer[] = Object.freeze([]);
  private seenCount = 0;
  private closed = false;

  constructor(private readonly host: RosterHost) {}

  /** The buyers; empty until first read. */
  get participants(): readonly Participant[] {
    return this.state.kind === 'read' ? this.state.list : [];
  }

  /** Who has the chat open right now, each user once. */
  get viewers(): readonly Viewer[] {
    return this.seen;
  }

  /** How many have the chat open: at least `viewers.length` (the server lists the first LIMITS.viewersListMax). */
  get viewerCount(): number {
    return this.seenCount;
  }

  /** True once the participant list was read: only then can the client tell a non-buyer from a buyer. */
  get known(): boolean {
    return this.state.kind === 'read';
  }

  /** True when `user` is a buyer in this deal. */
  isParticipant(user: CurrentUser | null): boolean {
    return user !== null && this.participants.some((p) => p.userId === user.userId);
  }

  /** True when `user` is the room's host (seller). */
  isHost(user: CurrentUser | null): boolean {
    const room = this.host.room();
    return user !== null && room !== null && room.hostId === user.userId;
  }

  /**
   * The relations to the room the rules may see `user` in: one once the room, the user and the buyers are
   * known; before that every one the user could turn out to have (none before the room is read). The SDK
   * always sends a token, so an unknown user is never `anonymous`.
   */
  relations(user: CurrentUser | null): readonly RoomRelation[] {
    const room = this.host.room();
    if (!room) return [];
    if (!user) return ['service', 'host', 'participant', 'signed-in'];
    const principal = { userId: user.userId, role: user.role === 'service' ? ('service' as const) : ('user' as const) };
    if (this.known) return [roomRelation(principal, room, this.isParticipant(user))];
    return [...new Set([roomRelation(principal, room, true), roomRelation(principal, room, false)])];
  }

  /** Reads the buyers again; overlapping calls share one read (and one more after it). */
  readonly refreshParticipants = coalesce(async () => this.read(await this.host.fetchParticipants()));

  /**
   * Takes a list of the buyers read with the room at `seq` (by default the room's lastSeq as the session
   * knows it): it includes every join and leave stored so far; later SYSTEM messages apply on top.
   */
  read(list: readonly Participant[], seq = this.host.room()?.lastSeq ?? 0): void {
    if (this.closed) return;
    this.state = { kind: 'read', list: Object.freeze([...list]), seq: Math.max(this.state.kind === 'read' ? this.state.seq : 0, seq) };
    this.host.changed('participants');
  }

  /** Takes the list and count of a `viewers` event: the latest wins (it is not in the seq stream). */
  setViewers(list: readonly Viewer[], count = list.length): void {
    if (this.closed) return;
    this.seen = Object.freeze([...list]);
    this.seenCount = Math.max(count, list.length);
    this.host.changed('viewers');
  }

  /**
   * Applies a live SYSTEM JOINED/LEFT message to the list: `applied` when it did, `stale` when the list
   * cannot be trusted to take it (not read yet, or the message is older than the list) and must be read
   * again, `none` for any other message.
   */
  apply(message: ChatMessage): RosterUpdate {
    const event = message.event;
    if (event?.type !== 'JOINED' && event?.type !== 'LEFT') return 'none';
    if (this.state.kind !== 'read' || message.seq <= this.state.seq) return 'stale';
    if (!event.userId) return 'applied';
    const others = this.state.list.filter((p) => p.userId !== event.userId);
    const list =
      event.type === 'JOINED'
        ? [...others, { userId: event.userId, name: event.name ?? event.userId, joinedAt: message.createdAt }]
        : others;
    this.state = { kind: 'read', list: Object.freeze(list), seq: message.seq };
    return 'applied';
  }

  /**
   * After a batch of live messages went through {@link apply}: says the list changed, and reads it again when one
   * was stale (viewers need no re-read: the server pushes them).
   */
  settle(updates: readonly RosterUpdate[]): void {
    const applied = updates.includes('applied');
    const stale = updates.includes('stale');
    if (applied) this.host.changed('participants');
    if (stale) void this.refreshParticipants();
  }

  /** Forgets the viewers (out of the room: they are no longer this reader's to see); true when there were any. */
  clearViewers(): boolean {
    if (this.seen.length === 0 && this.seenCount === 0) return false;
    this.seen = Object.freeze([]);
    this.seenCount = 0;
    return true;
  }

  /** Stops listening; answers and events still on their way are dropped. */
  close(): void {
    this.closed = true;
  }
}
