// Classes and types only: importing this module registers nothing. Register the tags with
// `@groupbuy/elements/define/groupbuy-chat.js` (and `participant-list.js`), or under names of your own.
export { GroupbuyChat } from './components/groupbuy-chat/groupbuy-chat.js';
export { ParticipantList } from './components/participant-list/participant-list.js';
export { GroupbuyRoomChangeEvent } from './events/groupbuy-room-change-event.js';
export { GroupbuyJoinEvent } from './events/groupbuy-join-event.js';
export { GroupbuyLeaveEvent } from './events/groupbuy-leave-event.js';
export { GroupbuySendEvent } from './events/groupbuy-send-event.js';
export { GroupbuyErrorEvent } from './events/groupbuy-error-event.js';
export { GroupbuyAuthRequiredEvent, type GroupbuyAuthRequiredDetail } from './events/groupbuy-auth-required-event.js';
export { GroupbuyOpenEvent } from './events/groupbuy-open-event.js';
export { GroupbuyCloseEvent } from './events/groupbuy-close-event.js';
export type { TransportName } from './internal/client-factory.js';
