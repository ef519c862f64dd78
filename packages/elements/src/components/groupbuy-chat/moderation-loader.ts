import type { ReactiveController } from 'lit';
import type { PrivateNotice, Room } from '@groupbuy/protocol';
import type { ViewMessage } from '@groupbuy/sdk';
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
 */
export class ModerationLoader implements ReactiveController, RowMenu {
  /** The loaded parts, or null until the chunk arrived. */
  ui: Ui | null = null;
  private loading: Promise<Ui> | undefined;

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
    if (this.options.room.session || this.options.visitorRoom()?.pinned) this.load().catch(noop);
  }

  /**
   * A private notice, from the chat's RoomController (which follows the session from its start): handed to
   * the chunk once it is there, so the PII guard's hint for a send made before the chunk arrived is not lost.
   */
  notice(notice: PrivateNotice): void {
    this.load().then((ui) => ui.address.notice(notice), noop);
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
