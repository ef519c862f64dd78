import { parseMuteInput, parsePinBody, parseReportBody, parseSlowModeBody, type MessageReport, type Room } from '@groupbuy/protocol';
import type { RoomRest } from './room-rest.js';

// The moderation routes (issue 11, docs/protocol.md "Moderation"), each body checked by the protocol's own parser
// before it is sent. Loaded on first use (`import()` from ModeratedSession): a chat's first paint needs none of it.

/** `DELETE …/messages/{seq}`: erases a message (the host, the service, or its sender within 5 minutes). */
export async function deleteMessage(api: RoomRest, seq: number): Promise<void> {
  await api.call('DELETE', `/messages/${String(seq)}`);
}

/** `POST …/mutes {userId, durationMs}` (host, service). */
export async function mute(api: RoomRest, userId: string, durationMs: number): Promise<void> {
  await api.call('POST', '/mutes', parseMuteInput({ userId, durationMs }));
}

/** `DELETE …/mutes/{userId}` (host, service). */
export async function unmute(api: RoomRest, userId: string): Promise<void> {
  await api.call('DELETE', `/mutes/${encodeURIComponent(userId)}`);
}

/** `POST …/messages/{seq}/reports {reason}`. */
export async function report(api: RoomRest, seq: number, reason: string): Promise<void> {
  await api.call('POST', `/messages/${String(seq)}/reports`, parseReportBody({ reason }));
}

/** `GET …/reports` (host, service): the room's reports. */
export async function reports(api: RoomRest): Promise<MessageReport[]> {
  return (await api.call<{ reports: MessageReport[] }>('GET', '/reports')).body.reports;
}

/** `PUT …/slow-mode {slowModeMs}` (host, service); 0 turns it off. Resolves with the room after it. */
export async function setSlowMode(api: RoomRest, slowModeMs: number): Promise<Room> {
  return (await api.call<Room>('PUT', '/slow-mode', parseSlowModeBody({ slowModeMs }))).body;
}

/** `PUT …/pin {seq}` (host, service): pins a NOTIFICATION. Resolves with the room after it. */
export async function pin(api: RoomRest, seq: number): Promise<Room> {
  return (await api.call<Room>('PUT', '/pin', parsePinBody({ seq }))).body;
}

/** `DELETE …/pin` (host, service). Resolves with the room after it. */
export async function unpin(api: RoomRest): Promise<Room> {
  return (await api.call<Room>('DELETE', '/pin')).body;
}
