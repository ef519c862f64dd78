import { describe, expect, it } from 'vitest';
import { toMessage, type MessageRow } from './rows.js';

function row(createdAt: number): MessageRow {
  return {
    room_id: 'r',
    seq: 1,
    id: 'id',
    type: 'CHAT',
    sender_id: 'u',
    sender_name: 'U',
    content: 'x',
    created_at: createdAt,
    client_msg_id: null,
    event: null,
    room: null,
    key_id: null,
    deleted: 0,
  };
}

describe('toMessage createdAt', () => {
  it('writes exactly what Date#toISOString writes, across days, edges and out-of-range years', () => {
    const DAY = 86_400_000;
    const start = Date.UTC(2026, 11, 31, 23, 59, 58, 990);
    const times = [0, 1, 999, 1000, DAY - 1, DAY, Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), -1, -DAY - 1, 1.5];
    for (let i = 0; i < 5000; i++) times.push(start + i * 7, start - i * 3_600_001);
    for (const ms of times) expect(toMessage(row(ms), 'x').createdAt).toBe(new Date(ms).toISOString());
  });
});
