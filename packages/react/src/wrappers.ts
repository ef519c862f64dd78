import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import {
  GroupbuyAuthRequiredEvent,
  GroupbuyChat as GroupbuyChatElement,
  GroupbuyErrorEvent,
  GroupbuyJoinEvent,
  GroupbuyLeaveEvent,
  GroupbuyRoomChangeEvent,
  GroupbuySendEvent,
  ParticipantList as ParticipantListElement,
} from '@groupbuy/elements';

// The only side effect of this module, and only in a browser: register both tags (the chat shows its
// buyers with <participant-list>), once, so a page that also loads the one-tag bundle does not clash.
// On a server there is no `window` (Lit's Node build puts a registry shim on globalThis.customElements
// for its own SSR; it is left alone): the tags render as plain markup and upgrade on the client.
if (typeof window !== 'undefined' && window.customElements) {
  const registry = window.customElements;
  if (!registry.get('participant-list')) registry.define('participant-list', ParticipantListElement);
  if (!registry.get('groupbuy-chat')) registry.define('groupbuy-chat', GroupbuyChatElement);
}

/**
 * `<groupbuy-chat>` as a React component: every property of the element as a typed prop (`productId`,
 * `client`, `baseUrl`, `token`, `tokenProvider`, `transport`, `theme`, `lang` …), its events as
 * `onGroupbuy…` props, and `ref` to the element.
 */
export const GroupbuyChat = createComponent({
  react: React,
  tagName: 'groupbuy-chat',
  elementClass: GroupbuyChatElement,
  displayName: 'GroupbuyChat',
  events: {
    onGroupbuyRoomChange: GroupbuyRoomChangeEvent.eventName as EventName<GroupbuyRoomChangeEvent>,
    onGroupbuyJoin: GroupbuyJoinEvent.eventName as EventName<GroupbuyJoinEvent>,
    onGroupbuyLeave: GroupbuyLeaveEvent.eventName as EventName<GroupbuyLeaveEvent>,
    onGroupbuySend: GroupbuySendEvent.eventName as EventName<GroupbuySendEvent>,
    onGroupbuyError: GroupbuyErrorEvent.eventName as EventName<GroupbuyErrorEvent>,
    onGroupbuyAuthRequired: GroupbuyAuthRequiredEvent.eventName as EventName<GroupbuyAuthRequiredEvent>,
  },
});

/**
 * `<participant-list>` as a React component: typed props (`productId`, `client`, `session`, `baseUrl`,
 * `token`, `theme` …) and `ref` to the element. It fires no events of its own.
 */
export const ParticipantList = createComponent({
  react: React,
  tagName: 'participant-list',
  elementClass: ParticipantListElement,
  displayName: 'ParticipantList',
});

/** Props of {@link GroupbuyChat}. */
export type GroupbuyChatProps = React.ComponentProps<typeof GroupbuyChat>;
/** Props of {@link ParticipantList}. */
export type ParticipantListProps = React.ComponentProps<typeof ParticipantList>;
