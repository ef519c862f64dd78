// HS256 tokens signed by hand (the generator must be cheap and must not load the server's code).
import { createHmac } from 'node:crypto';

export const SECRET = 'bench-secret-bench-secret-bench-secret!!';
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const HEADER = b64({ alg: 'HS256', typ: 'JWT' });

/** A token for `userId` (role `service` for the trade service), valid for two hours. */
export function token(userId, role) {
  const payload = b64({ sub: userId, name: userId, ...(role ? { role } : {}), exp: Math.floor(Date.now() / 1000) + 7200 });
  const sig = createHmac('sha256', SECRET).update(`${HEADER}.${payload}`).digest('base64url');
  return `${HEADER}.${payload}.${sig}`;
}

/** Creates an ACTIVE room on a groupbuy server through REST with a service token. */
export async function createRoom(base, productId) {
  const res = await fetch(`${base}/api/chat/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token('bench-service', 'service')}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      productId,
      title: `Bench ${productId}`,
      maxParticipants: 100,
      expiresAt: new Date(Date.now() + 86400e3).toISOString(),
    }),
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`create room ${productId}: ${res.status} ${await res.text()}`);
}
