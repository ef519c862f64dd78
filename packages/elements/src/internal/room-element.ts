import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import type { ChatClient } from '@groupbuy/sdk';
import type { TransportName } from './client-factory.js';
import { LocaleController } from './locale-controller.js';
import type { RoomHost } from './room-controller.js';

/**
 * What both widgets share: which room they show, how they get a client (handed in, or built from
 * `base-url` + `token` / `tokenProvider` with the chosen transport), the theme, and re-rendering when
 * `lang` changes. Not registered as a tag.
 *
 * @attr lang - `ko` or `en`; defaults to the nearest `lang` up the tree, then the browser's.
 */
export abstract class RoomElement extends LitElement implements RoomHost {
  /** The product (= room) id. */
  @property({ attribute: 'product-id' }) productId = '';

  /** The chat server's base URL, for a client the element builds itself. @default location.origin */
  @property({ attribute: 'base-url' }) baseUrl: string | undefined;

  /**
   * Realtime transport for a client the element builds itself: `ws`, `stomp` or `socket.io`. The plain
   * WebSocket is the default: a widget shows one room, which is one socket either way, and its chunk is
   * a sixth of STOMP's (1.1 KB gzipped against 6.5 KB). @default 'ws'
   */
  @property() transport: TransportName = 'ws';

  /**
   * A JWT; the element builds its own client with it (ignored when `client` is set). A new token for the
   * same user keeps the connection and, while it is down (e.g. after "sign in again"), reconnects at once;
   * a token of another user starts over.
   */
  @property() token: string | undefined;

  /**
   * Returns a fresh JWT on every (re)connect and whenever the server refuses the last one; wins over
   * `token`. Setting another provider reconnects at once while the connection is down.
   */
  @property({ attribute: false }) tokenProvider: (() => string | Promise<string>) | undefined;

  /** A client from `@groupbuy/sdk`'s `createChatClient`, shared with the page; it also tells who "you" are. Wins over `token`. */
  @property({ attribute: false }) client: ChatClient | undefined;

  /** `light` or `dark`; unset follows the operating system. */
  @property({ reflect: true }) theme: 'light' | 'dark' | undefined;

  /** The element's language: its strings and formats. */
  protected readonly locale = new LocaleController(this);

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang') this.requestUpdate();
  }

  // An update waits for the strings of a language not loaded yet (a chunk): until they arrive the element
  // shows what it showed before (at first, nothing), never words of the wrong language. The first render
  // also waits one task: the room's read, which the controllers start when the element is attached, goes out
  // first (its token and client take a few microtasks), so the render's work — tens of ms in a page's first
  // widget — runs while the request is on its way rather than before it leaves. updateComplete includes the wait.
  protected override scheduleUpdate(): ReturnType<LitElement['scheduleUpdate']> {
    const loading = this.locale.loading() ?? (this.hasUpdated ? null : nextTask());
    return loading ? loading.then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }
}

/**
 * Resolves in a task of its own, after every microtask queued before it. A message on a fresh channel rather
 * than `setTimeout(0)`: a background tab runs timers at most once a second, and a shopper who opened the
 * product in a new tab should find its chat drawn when they switch to it, not drawn then.
 */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
