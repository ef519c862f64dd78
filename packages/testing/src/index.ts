/**
 * @groupbuy/testing — dev only. The reference server's real core in one process or page (in-memory store,
 * bus and presence; the same RoomService, Hub, scheduler and Hono routes), an injectable clock, an
 * in-process SDK transport, fault injection and a deal player, for Storybook, element tests and the SDK
 * conformance suite. Never shipped: the SDK and the widget stay free of server code.
 */
export { createInProcessServer, type InProcessServer, type InProcessServerOptions } from './server.js';
export { createTestClock, type TestClock } from './clock.js';
export { playDeal, type DealPlayback, type DealScript } from './deal.js';
export type { RoomSeed, SeedMessage, SeedParticipant, TestUser } from './seed.js';
