import type { ReactiveController } from 'lit';
import type { Room } from '@groupbuy/protocol';
import type { RoomSession, ViewMessage } from '@groupbuy/sdk';
import type { RowMenu } from './message-row.js';
import type { ModerationOptions } from './moderation-menu.js';
import type { PartHost } from './part-host.js';

type Ui = InstanceType<(typeof import('./moderation-ui.js'))['ModerationUi']>;

const noop = (): void => undefined;

// The SYSTEM events the initial widget words itself (i18n.ts); the chunk words issue 11's.
const CLASSIC_EVENTS = ['JOINED', 'LEFT', 'CLOSED', 'CANCELLED'];

/**
 * The initial widget's handle on issue 11's parts (moderation-ui.ts, a chunk of its own, so the first paint
 * of a chat does not carry them): it imports the chunk as soon as the chat has a session, or a signed-out
 * visitor's room has a pinned notice, and stands in for it until then (no menu, no pinned notice, no mute).
 * It follows the session's private notices itself from the start: one that comes before the chunk (the PII
 * guard's answer to a send made right after the chat opened) is kept and handed over when it arrives.
 */
export class ModerationLoader implements ReactiveController, RowMenu {
  /** The loaded parts, or null until the chunk arrived. */
  ui: Ui | null = null;
  private loading: Promise<Ui> | undefined;
  private followed: RoomSession | null = null;
  private unfollow: (() => void) | undefined;

  constructor(
    private readonly host: PartHost & { productId: string },
    private readonly options: ModerationOptions & { readonly visitorRoom: () => Room | null },
  ) {
    host.addController(this);
  }

  /** Changes whenever a row's menu must render again. */
  get version(): number {
    return this.ui?.menu.version ?? -1;
  }

  /** Before each render: load the chunk once there is something for it to show. */
  hostUpdate(): void {
    const session = this.options.room.session;
    if (session !== this.followed) this.follow(session);
    if (session || this.options.visitorRoom()?.pinned) this.load().catch(noop);
  }

  /** Lets go of the session's notices. */
  hostDisconnected(): void {
    this.follow(null);
  }

  // A notice waits for the chunk (a resolved promise once it is there).
  private follow(session: RoomSession | null): void {
    this.unfollow?.();
    this.followed = session;
    this.unfollow = session?.on('notice', (n) => void this.load().then((ui) => ui.address.notice(n), noop));
  }

  /** Imports the chunk once (again on the next render after a failed import). */
  load(): Promise<Ui> {
    this.loading ??= import('./moderation-ui.js').then((m) => {
      if (this.host.isConnected) this.host.requestUpdate();
      return (this.ui = new m.ModerationUi(this.host, this.options));
    });
    this.loading.catch(() => (this.loading = undefined));
    return this.loading;
  }

  /** A message's menu button, once the chunk is there. */
  render(message: ViewMessage): unknown {
    return this.ui?.menu.render(message);
  }

  /** A moderation event's SYSTEM line: the chunk's words, or the server's text until it arrives. */
  systemText(message: ViewMessage): string | undefined {
    const event = message.event;
    if (!event) return undefined;
    return this.ui ? this.ui.systemText(event) : CLASSIC_EVENTS.includes(event.type) ? undefined : message.content;
  }
}
