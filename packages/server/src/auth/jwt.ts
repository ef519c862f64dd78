import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  SignJWT,
  errors as joseErrors,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { ChatError, LIMITS } from '@groupbuy/protocol';
import type { Logger } from '../logger.js';

/** Who a verified token speaks for. */
export interface Principal {
  /** The user id claim (`sub` unless `JWT_USER_ID_CLAIM` says otherwise). */
  userId: string;
  /** The display name claim (`name` by default; falls back to the user id). */
  name: string;
  /** `service` for the shop's trade service (its role claim holds the service role); otherwise a shopper. */
  role: 'service' | 'user';
  /** Expiry, epoch ms. */
  expiresAtMs: number;
}

/** How tokens are checked. At least one of `secret` and `jwksUrl` is needed. */
export interface JwtConfig {
  /** HS256 shared secret; without it HS256 tokens are refused. */
  secret?: string;
  /** JWKS of the shop's identity provider; RS256/ES256 tokens are verified against it. Without it they are refused. */
  jwksUrl?: string;
  /** Expected `iss`, checked when set (for both kinds of token). */
  issuer?: string;
  /** Expected `aud`, checked when set (for both kinds of token). */
  audience?: string;
  /** Claim holding the user id (a string, or an integer). @default 'sub' */
  userIdClaim?: string;
  /** Claim holding the display name. @default 'name' */
  nameClaim?: string;
  /** Claim holding the role: a string or an array of strings. @default 'role' */
  roleClaim?: string;
  /** The role claim value that means the trade service. @default 'service' */
  serviceRole?: string;
  /**
   * After a token names a key the cached set lacks, how long before the set may be fetched again, in ms
   * (so a flood of unknown `kid`s cannot hammer the identity provider). @default 30000
   */
  jwksCooldownMs?: number;
  /** How long a fetched set is used before it is fetched again, in ms. @default 600000 */
  jwksCacheMaxAgeMs?: number;
  /** How long a JWKS fetch may take, in ms. @default 5000 */
  jwksTimeoutMs?: number;
}

/** The algorithms the identity provider may sign with; anything else (PS*, EdDSA, HS384 …) is refused. */
const JWKS_ALGORITHMS = ['RS256', 'ES256'] as const;

/** The JWKS could not be fetched or read: an identity provider outage, not a bad token. */
class ProviderUnreachable extends Error {}

// How long a verified token's principal is reused without checking the signature again, and how many are kept.
const VERIFIED_REUSE_MS = 60_000;
const VERIFIED_MAX = 4096;

const UNREACHABLE_MESSAGE = 'Signing in failed: the identity provider could not be reached. Please try again in a moment.';

/**
 * Verifies tokens. The key is chosen by the token's `alg` header: HS256 → the secret, RS256/ES256 → the
 * JWKS (with jose's caching, cooldown and refetch on an unknown `kid`), each only when configured; `none`,
 * HS512, PS256 … and RS/HS confusion are refused.
 */
export class TokenVerifier {
  // The HS256 secret as a WebCrypto key, imported once: given the raw bytes, jose imports them on every
  // verification (≈40% of an HS256 check's CPU: ~200 µs against ~115 µs per token here, Node 20).
  private readonly secret: Promise<CryptoKey> | null;
  private readonly jwks: JWTVerifyGetKey | null;
  private readonly userIdClaim: string;
  private readonly nameClaim: string;
  private readonly roleClaim: string;
  private readonly serviceRole: string;
  // True from the first failed JWKS fetch until one succeeds again, so an outage is logged once.
  private providerDown = false;
  // Tokens verified lately → their principal and until when the answer may be reused (see verify).
  private readonly verified = new Map<string, { principal: Principal; reuseUntilMs: number }>();

  constructor(
    private readonly config: JwtConfig,
    private readonly logger?: Logger,
  ) {
    if (!config.secret && !config.jwksUrl) throw new Error('Tokens need JWT_SECRET (HS256) or JWT_JWKS_URL (RS256/ES256), or both.');
    this.secret = config.secret
      ? crypto.subtle.importKey('raw', new TextEncoder().encode(config.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
      : null;
    this.jwks = config.jwksUrl ? this.remoteKeys(new URL(config.jwksUrl)) : null;
    this.userIdClaim = config.userIdClaim ?? 'sub';
    this.nameClaim = config.nameClaim ?? 'name';
    this.roleClaim = config.roleClaim ?? 'role';
    this.serviceRole = config.serviceRole ?? 'service';
  }

  /** Verifies `token` and returns its principal; throws ChatError UNAUTHENTICATED with a reason a person understands. */
  async verify(token: string | null | undefined): Promise<Principal> {
    if (!token) throw new ChatError('UNAUTHENTICATED', 'Sign in first: no token was sent.');
    // The same token string carries the same signature and claims, so its verification is reused (an HMAC
    // or RSA check per history page was ~14% of the GET's time, bench scenario 4) until it expires, at most
    // VERIFIED_REUSE_MS (a JWKS key withdrawn by the provider stops working within that), least recent dropped.
    const now = Date.now();
    const hit = this.verified.get(token);
    if (hit && now < hit.reuseUntilMs) {
      this.verified.delete(token);
      this.verified.set(token, hit);
      return hit.principal;
    }
    if (hit) this.verified.delete(token);
    try {
      const principal = this.principalFrom(await this.verifiedPayload(token));
      this.verified.set(token, { principal, reuseUntilMs: Math.min(principal.expiresAtMs, now + VERIFIED_REUSE_MS) });
      if (this.verified.size > VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value ?? token);
      return principal;
    } catch (err) {
      if (err instanceof ChatError) throw err;
      if (err instanceof ProviderUnreachable) throw new ChatError('UNAUTHENTICATED', UNREACHABLE_MESSAGE, { cause: err.cause });
      if (err instanceof joseErrors.JWTExpired) {
        throw new ChatError('UNAUTHENTICATED', 'Your session expired. Sign in again.', { cause: err });
      }
      if (err instanceof joseErrors.JWKSNoMatchingKey) {
        throw new ChatError('UNAUTHENTICATED', 'The token was signed with a key the identity provider does not list.', { cause: err });
      }
      throw new ChatError('UNAUTHENTICATED', 'The token is not valid.', { cause: err });
    }
  }

  private async verifiedPayload(token: string): Promise<JWTPayload> {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch (err) {
      throw new ChatError('UNAUTHENTICATED', 'The token is not valid.', { cause: err });
    }
    const options = {
      requiredClaims: ['exp', this.userIdClaim],
      ...(this.config.issuer ? { issuer: this.config.issuer } : {}),
      ...(this.config.audience ? { audience: this.config.audience } : {}),
    };
    // The header only picks which configured key to try; each verification pins its algorithms again,
    // so a header cannot steer a key into the wrong algorithm (an RSA public key used as an HMAC secret).
    if (alg === 'HS256' && this.secret) return (await jwtVerify(token, await this.secret, { ...options, algorithms: ['HS256'] })).payload;
    if ((alg === 'RS256' || alg === 'ES256') && this.jwks) {
      return (await jwtVerify(token, this.jwks, { ...options, algorithms: [...JWKS_ALGORITHMS] })).payload;
    }
    const what = alg === 'none' || typeof alg !== 'string' || !alg ? 'Unsigned tokens are' : `Tokens signed with ${alg.slice(0, 16)} are`;
    throw new ChatError('UNAUTHENTICATED', `${what} not accepted here; this server takes tokens signed with ${this.accepted()}.`);
  }

  private accepted(): string {
    const list = [...(this.secret ? ['HS256'] : []), ...(this.jwks ? JWKS_ALGORITHMS : [])];
    return list.join(' or ');
  }

  private principalFrom(payload: JWTPayload): Principal {
    const rawId = payload[this.userIdClaim];
    const userId = typeof rawId === 'string' ? rawId : Number.isSafeInteger(rawId) ? String(rawId) : '';
    if (userId.length === 0 || userId.length > 128) {
      throw new ChatError('UNAUTHENTICATED', `The token has no valid user id (${this.userIdClaim}).`);
    }
    const rawName = payload[this.nameClaim];
    const name = ((typeof rawName === 'string' ? rawName.trim() : '') || userId).slice(0, LIMITS.nameMaxChars);
    const role = payload[this.roleClaim];
    const isService = role === this.serviceRole || (Array.isArray(role) && role.includes(this.serviceRole));
    return { userId, name, role: isService ? 'service' : 'user', expiresAtMs: (payload.exp ?? 0) * 1000 };
  }

  // jose's remote set caches the keys, refetches (at most once per cooldown) when a token names an unknown
  // kid, and shares one fetch among concurrent verifications. This wrapper tells an outage from a bad token.
  private remoteKeys(url: URL): JWTVerifyGetKey {
    const remote = createRemoteJWKSet(url, {
      cooldownDuration: this.config.jwksCooldownMs ?? 30_000,
      cacheMaxAge: this.config.jwksCacheMaxAgeMs ?? 600_000,
      timeoutDuration: this.config.jwksTimeoutMs ?? 5_000,
    });
    return async (header, token) => {
      try {
        const key = await remote(header, token);
        this.providerReachable();
        return key;
      } catch (err) {
        // Key selection failures are about the token; everything else is the provider failing to answer.
        if (
          err instanceof joseErrors.JWKSNoMatchingKey ||
          err instanceof joseErrors.JWKSMultipleMatchingKeys ||
          err instanceof joseErrors.JOSENotSupported
        ) {
          this.providerReachable();
          throw err;
        }
        if (!this.providerDown) {
          this.providerDown = true;
          // The error's name only: a fetch error's message can carry the provider's address.
          this.logger?.log('warn', 'identity provider unreachable: the JWKS could not be fetched', {
            code: 'UNAUTHENTICATED',
            error: errorName(err),
          });
        }
        throw new ProviderUnreachable('JWKS unreachable', { cause: err });
      }
    };
  }

  private providerReachable(): void {
    if (!this.providerDown) return;
    this.providerDown = false;
    this.logger?.log('info', 'identity provider reachable again');
  }
}

function errorName(err: unknown): string {
  if (!(err instanceof Error)) return 'unknown';
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? `${err.name} ${code}` : err.name;
}

/**
 * Mints an HS256 token (dev mode and tests) with the configured claim names. `ttlSeconds` @default 3600.
 * Throws when no secret is configured.
 */
export async function signToken(
  config: JwtConfig,
  claims: { userId: string; name: string; role?: 'service' | 'user'; ttlSeconds?: number },
): Promise<{ token: string; expiresAt: string }> {
  if (!config.secret) throw new ChatError('INVALID_INPUT', 'This server has no JWT secret to sign tokens with.');
  const ttl = claims.ttlSeconds ?? 3600;
  const expMs = Date.now() + ttl * 1000;
  const userIdClaim = config.userIdClaim ?? 'sub';
  const payload: JWTPayload = { [config.nameClaim ?? 'name']: claims.name };
  if (claims.role === 'service') payload[config.roleClaim ?? 'role'] = config.serviceRole ?? 'service';
  if (userIdClaim !== 'sub') payload[userIdClaim] = claims.userId;
  let jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expMs / 1000));
  if (config.issuer) jwt = jwt.setIssuer(config.issuer);
  if (config.audience) jwt = jwt.setAudience(config.audience);
  return {
    token: await jwt.sign(new TextEncoder().encode(config.secret)),
    expiresAt: new Date(Math.floor(expMs / 1000) * 1000).toISOString(),
  };
}

/** The token in an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return m?.[1] ?? null;
}
