import { describe, expect, it } from 'vitest';
import { MESSAGE_COLUMN_NAMES, MESSAGE_COLUMNS, rowOfValues, toMessage, valuesOf, type MessageRow } from './rows.js';

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

describe('the messages column order', () => {
  // Every field distinct, so a swapped position shows.
  const distinct: MessageRow = {
    room_id: 'room',
    seq: 7,
    id: 'msg-id',
    type: 'NOTIFICATION',
    sender_id: 'sender',
    sender_name: 'Sender',
    content: 'v1:iv:tag:body',
    created_at: 1_700_000_000_000,
    client_msg_id: 'client-key',
    event: '{"type":"JOINED"}',
    room: '{"participantCount":1}',
    key_id: 'k1',
    deleted: 1,
  };

  it('valuesOf writes the fields in MESSAGE_COLUMN_NAMES order, and rowOfValues reads them back', () => {
    const values = valuesOf(distinct);
    expect(values).toEqual(MESSAGE_COLUMN_NAMES.map((name) => distinct[name]));
    expect(rowOfValues(values)).toEqual(distinct);
    expect(MESSAGE_COLUMNS.split(', ')).toEqual([...MESSAGE_COLUMN_NAMES]);
    expect(Object.keys(distinct).sort()).toEqual([...MESSAGE_COLUMN_NAMES].sort());
  });
});
