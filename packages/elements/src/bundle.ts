/**
 * The self-contained bundle's entry (`dist/groupbuy-chat.bundle.js`): registers `<groupbuy-chat>` and
 * `<participant-list>` and carries Lit, the SDK core and its STOMP and WebSocket transports, so a page
 * needs one `<script type="module">`. It also exports the classes, and `createChatClient` with the
 * bundled transports for a page that wants to share one client between widgets.
 */
import './define/groupbuy-chat.js';
import './define/participant-list.js';

export * from './index.js';
export { createChatClient } from '@groupbuy/sdk';
export { stompTransport } from '@groupbuy/sdk/stomp';
export { wsTransport } from '@groupbuy/sdk/ws';
