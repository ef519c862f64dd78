/**
 * @groupbuy/react — React bindings for groupbuy-chat: {@link useGroupBuyRoom} on the SDK's sessions,
 * {@link ChatClientProvider} (one connection for the page), and the `<groupbuy-chat>` / `<participant-list>`
 * elements as typed components. Importing it on a server touches no `window` (SSR-safe).
 */
export { ChatClientProvider, useChatClient, type ChatClientProviderProps } from './provider.js';
export { useGroupBuyRoom, type GroupBuyRoom, type UseGroupBuyRoomOptions } from './use-group-buy-room.js';
export type { RoomLoadStatus, RoomSnapshot } from './room-store.js';
export { GroupbuyChat, ParticipantList, type GroupbuyChatProps, type ParticipantListProps } from './wrappers.js';
export {
  GroupbuyAuthRequiredEvent,
  GroupbuyErrorEvent,
  GroupbuyJoinEvent,
  GroupbuyLeaveEvent,
  GroupbuyRoomChangeEvent,
  GroupbuySendEvent,
} from '@groupbuy/elements';
