import { ParticipantList } from '../components/participant-list/participant-list.js';

// The only side effect of this module: register the tag (once, so two bundles on a page do not clash).
if (!customElements.get('participant-list')) customElements.define('participant-list', ParticipantList);

declare global {
  interface HTMLElementTagNameMap {
    'participant-list': ParticipantList;
  }
}

export { ParticipantList };
