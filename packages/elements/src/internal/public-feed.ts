import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatMessage, Room } from '@groupbuy/protocol';
import type { RoomWatcher } from '@groupbuy/sdk/sse';

const NO_NOTICES: readonly ChatMessage[] = Object.freeze([]);

/** Where the public feed should read from, or null when it should not run. */
export interface PublicFeedTarget {
  /** The chat server's base URL. */
  baseUrl: string;
  /** The product (= room) id. */
  productId: string;
}

/**
 * The room's public feed for a reader the chat will not let in — a signed-out visitor, or a watcher of a
 * deal that closed: the deal's snapshot and the seller's notices over the SSE feed, read without a token
 * (`watchRoom` from `@groupbuy/sdk/sse`, from the first stored notice). The SSE module is loaded only when
 * a feed starts, so a signed-in page never downloads it.
 */
export class PublicFeedController implements ReactiveController {
  /** The latest room snapshot from the feed, or null. */
  room: Room | null = null;
  /** The seller's notices, oldest first. */
  notices: readonly ChatMessage[] = NO_NOTICES;

  private watcher: RoomWatcher | null = null;
  private key: string | null = null;
  private generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly target: () => PublicFeedTarget | null,
  ) {
    host.addController(this);
  }

  /** Starts, moves or stops the feed to match the target, before each render. */
  hostUpdate(): void {
    this.sync();
  }

  /** Starts the feed when the element is attached again. */
  hostConnected(): void {
    this.sync();
  }

  /** Stops the feed. */
  hostDisconnected(): void {
    this.stop();
    this.key = null;
  }

  private sync(): void {
    const target = this.target();
    const key = target ? `${target.baseUrl}\n${target.productId}` : null;
    if (key === this.key) return;
    this.stop();
    this.key = key;
    if (!target) return;
    const generation = this.generation;
    void import('@groupbuy/sdk/sse').then(
      ({ watchRoom }) => {
        if (generation !== this.generation) return;
        this.watcher = watchRoom(target.baseUrl, target.productId, {
          lastEventId: '0',
          onRoom: (room) => {
            this.room = room;
            this.host.requestUpdate();
          },
          onNotification: (message) => {
            this.notices = Object.freeze([...this.notices, message].sort((a, b) => a.seq - b.seq));
            this.host.requestUpdate();
          },
        });
      },
      () => {
        // Without the feed the visitor still gets the sign-in prompt; nothing else to show.
      },
    );
  }

  private stop(): void {
    this.generation += 1;
    this.watcher?.close();
    this.watcher = null;
    this.room = null;
    this.notices = NO_NOTICES;
  }
}
