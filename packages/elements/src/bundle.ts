/**
 * The self-contained bundle's entry (`dist/groupbuy-chat.bundle.js`): registers `<groupbuy-chat>` and
 * `<participant-list>` and carries Lit and the SDK core, so a page needs one `<script type="module">`.
 * What a chat does not need to show and send is a content-hashed chunk (`dist/chunks/`) fetched on first
 * use: the STOMP and WebSocket transports when a client first connects, `<participant-list>` when one is
 * on the page or the chat opens its panel. It also exports the chat's class, and `createChatClient` with
 * the bundled transports for a page that wants to share one client between widgets.
 */
import { GroupbuyChat } from './components/groupbuy-chat/groupbuy-chat.js';
import { lazyTransport, type TransportFactory } from '@groupbuy/sdk';
import { loadStrings, toLang } from './internal/i18n.js';
import type { StompTransportOptions } from '@groupbuy/sdk/stomp';
import type { WsTransportOptions } from '@groupbuy/sdk/ws';

// index.js but for ParticipantList, which is a chunk of its own:
// `await customElements.whenDefined('participant-list')` gives its class.
export { GroupbuyChat };
export { GroupbuyRoomChangeEvent } from './events/groupbuy-room-change-event.js';
export { GroupbuyJoinEvent } from './events/groupbuy-join-event.js';
export { GroupbuyLeaveEvent } from './events/groupbuy-leave-event.js';
export { GroupbuySendEvent } from './events/groupbuy-send-event.js';
export { GroupbuyErrorEvent } from './events/groupbuy-error-event.js';
export { GroupbuyAuthRequiredEvent, type GroupbuyAuthRequiredDetail } from './events/groupbuy-auth-required-event.js';
export type { TransportName } from './internal/client-factory.js';
export { createChatClient } from '@groupbuy/sdk';

/**
 * Registers `<participant-list>` from its chunk once the page has one (now, or when one is added): a page
 * without it never downloads it. The chat's panel loads the same chunk itself (participants-panel.ts).
 */
function defineParticipantListOnUse(): void {
  const load = () => void import('./define/participant-list.js');
  if (document.querySelector('participant-list')) return load();
  const observer = new MutationObserver(() => {
    if (!document.querySelector('participant-list')) return;
    observer.disconnect();
    load();
  });
  observer.observe(document, { childList: true, subtree: true });
}
// define/groupbuy-chat.js would bring <participant-list> along statically; the bundle registers the chat
// itself and leaves the list to its chunk.
if (!customElements.get('groupbuy-chat')) customElements.define('groupbuy-chat', GroupbuyChat);
defineParticipantListOnUse();
// A page in Korean (most shops) fetches the Korean strings now, beside the chat's first requests, instead
// of when its first render asks for them.
void loadStrings(toLang(document.documentElement.lang || navigator.language));

// The factories a page hands createChatClient: each transport's code is a chunk, loaded on first connect
// (the SDK's lazyTransport, as the chat's own clients do).

/** STOMP over WebSocket (`@groupbuy/sdk/stomp`), loaded as a chunk on first connect. */
export function stompTransport(options: StompTransportOptions = {}): TransportFactory {
  return lazyTransport('stomp', () => import('@groupbuy/sdk/stomp').then((m) => m.stompTransport(options)));
}

/** The plain WebSocket transport (`@groupbuy/sdk/ws`), loaded as a chunk on first connect. */
export function wsTransport(options: WsTransportOptions = {}): TransportFactory {
  return lazyTransport('ws', () => import('@groupbuy/sdk/ws').then((m) => m.wsTransport(options)));
}
