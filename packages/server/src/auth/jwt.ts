import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { ChatError, LIMITS } from '@groupbuy/protocol';

/** Who a verified token speaks for. */
export interface Principal {
  /** The JWT `sub`. */
  userId: string;
  /** The JWT `name` (falls back to the user id). */
  name: string;
  /** `service` for the shop's trade service; otherwise a shopper. */
  role: 'service' | 'user';
  /** Expiry, epoch ms. */
  expiresAtMs: number;
}

/** How tokens are checked. */
export interface JwtConfig {
  /** HS256 shared secret. */
  secret: string;
  /** Expected `iss`, checked when set. */
  issuer?: string;
  /** Expected `aud`, checked when set. */
  audience?: string;
}

/** Verifies tokens; the algorithm is pinned to HS256 so `alg: none` and RS/HS confusion are refused. */
export class TokenVerifier {
  private readonly key: Uint8Array;

  constructor(private readonly config: JwtConfig) {
    this.key = new TextEncoder().encode(config.secret);
  }

  /** Verifies `token` and returns its principal; throws ChatError UNAUTHENTICATED with a reason a person understands. */
  async verify(token: string | null | undefined): Promise<Principal> {
    if (!token) throw new ChatError('UNAUTHENTICATED', 'Sign in first: no token was sent.');
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub'],
        ...(this.config.issuer ? { issuer: this.config.issuer } : {}),
        ...(this.config.audience ? { audience: this.config.audience } : {}),
      });
      const sub = payload.sub;
      if (typeof sub !== 'string' || sub.length === 0 || sub.length > 128) {
        throw new ChatError('UNAUTHENTICATED', 'The token has no valid user id (sub).');
      }
      const rawName = typeof payload['name'] === 'string' ? payload['name'].trim() : '';
      const name = (rawName || sub).slice(0, LIMITS.nameMaxChars);
      return {
        userId: sub,
        name,
        role: payload['role'] === 'service' ? 'service' : 'user',
        expiresAtMs: (payload.exp ?? 0) * 1000,
      };
    } catch (err) {
      if (err instanceof ChatError) throw err;
      if (err instanceof joseErrors.JWTExpired) {
        throw new ChatError('UNAUTHENTICATED', 'Your session expired. Sign in again.', { cause: err });
      }
      throw new ChatError('UNAUTHENTICATED', 'The token is not valid.', { cause: err });
    }
  }
}

/** Mints an HS256 token (dev mode and tests). `ttlSeconds` @default 3600. */
export async function signToken(
  config: JwtConfig,
  claims: { userId: string; name: string; role?: 'service' | 'user'; ttlSeconds?: number },
): Promise<{ token: string; expiresAt: string }> {
  const ttl = claims.ttlSeconds ?? 3600;
  const expMs = Date.now() + ttl * 1000;
  let jwt = new SignJWT({ name: claims.name, ...(claims.role === 'service' ? { role: 'service' } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expMs / 1000));
  if (config.issuer) jwt = jwt.setIssuer(config.issuer);
  if (config.audience) jwt = jwt.setAudience(config.audience);
  return { token: await jwt.sign(new TextEncoder().encode(config.secret)), expiresAt: new Date(Math.floor(expMs / 1000) * 1000).toISOString() };
}

/** The token in an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return m?.[1] ?? null;
}
