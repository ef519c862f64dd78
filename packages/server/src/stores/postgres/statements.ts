import { escapeIdentifier } from 'pg';
import { MESSAGE_COLUMNS, MESSAGE_PARAMETERS_NUMBERED } from '../rows.js';

// The SQL of the PostgreSQL store (../postgres.ts), one place per statement.

/** The store's statements, with the schema's quoted name in every table reference. */
export function statements(schema: string) {
  const s = escapeIdentifier(schema);
  return {
    selectRoom: `SELECT * FROM ${s}.rooms WHERE product_id = $1`,
    // The room row lock is where every write to one room queues, whichever instance it comes from: the
    // cap, the seq and the idempotency lookup are read only after the previous writer committed.
    lockRoom: `SELECT * FROM ${s}.rooms WHERE product_id = $1 FOR UPDATE`,
    insertRoom: `INSERT INTO ${s}.rooms (product_id, title, status, max_participants, min_participants,
                                        participant_count, expires_at, created_at, closed_at, host_id, last_seq)
                 VALUES ($1, $2, 'ACTIVE', $3, $4, 0, $5, $6, NULL, $7, 0)
                 ON CONFLICT (product_id) DO NOTHING
                 RETURNING *`,
    updateRoom: `UPDATE ${s}.rooms SET participant_count = $2, status = $3, closed_at = $4, last_seq = $5
                 WHERE product_id = $1 RETURNING *`,
    selectParticipant: `SELECT user_id, name, joined_at FROM ${s}.participants WHERE room_id = $1 AND user_id = $2`,
    selectParticipants: `SELECT user_id, name, joined_at FROM ${s}.participants WHERE room_id = $1 ORDER BY joined_seq`,
    insertParticipant: `INSERT INTO ${s}.participants (room_id, user_id, name, joined_at, joined_seq)
                        VALUES ($1, $2, $3, $4, $5)`,
    deleteParticipant: `DELETE FROM ${s}.participants WHERE room_id = $1 AND user_id = $2`,
    insertMessage: `INSERT INTO ${s}.messages (${MESSAGE_COLUMNS}) VALUES (${MESSAGE_PARAMETERS_NUMBERED})`,
    // The same COALESCE expression as the unique index, so the lookup is an index probe and finds a
    // service notice (sender NULL) retried with the same key.
    selectByClientMsgId: `SELECT ${MESSAGE_COLUMNS} FROM ${s}.messages
                          WHERE room_id = $1 AND COALESCE(sender_id, '') = $2 AND client_msg_id = $3`,
    selectAfter: `SELECT ${MESSAGE_COLUMNS} FROM ${s}.messages
                  WHERE room_id = $1 AND seq > $2 AND seq < $3 ORDER BY seq ASC LIMIT $4`,
    selectBefore: `SELECT ${MESSAGE_COLUMNS} FROM ${s}.messages
                   WHERE room_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`,
    selectDue: `SELECT * FROM ${s}.rooms WHERE status = 'ACTIVE' AND expires_at <= $1 ORDER BY expires_at`,
    selectNextDeadline: `SELECT MIN(expires_at) AS next FROM ${s}.rooms WHERE status = 'ACTIVE'`,
  } as const;
}

/** The SQL text of every statement the store runs. */
export type Statements = ReturnType<typeof statements>;
