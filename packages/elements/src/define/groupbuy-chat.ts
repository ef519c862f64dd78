import { GroupbuyChat } from '../components/groupbuy-chat/groupbuy-chat.js';
// The chat shows its buyers with <participant-list>, so registering the chat registers that too.
import './participant-list.js';

// The only side effect of this module: register the tag (once, so two bundles on a page do not clash).
if (!customElements.get('groupbuy-chat')) customElements.define('groupbuy-chat', GroupbuyChat);

declare global {
  interface HTMLElementTagNameMap {
    'groupbuy-chat': GroupbuyChat;
  }
}

export { GroupbuyChat };
