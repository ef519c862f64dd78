import { ChatError, DESTINATIONS, errorCodeForStatus, type ErrorInfo } from '@groupbuy/protocol';
import { parseJson } from './transports/shared.js';
import { joinUrl } from './url.js';

/** A REST answer with the clock offset measured from its `Date` header. */
export interface RestResult<T> {
  /** The parsed JSON body (undefined for 204). */
  body: T;
  /** The body as text (a CSV answer, issue 11's `?format=csv`, is not JSON). */
  text: string;
  /** serverTime − clientTime in ms, or undefined when the response had no readable `Date` header. */
  serverTimeOffsetMs: number | undefined;
}

/** What the REST client needs from its owner. */
export interface RestOptions {
  /** The server's base URL. */
  baseUrl: string;
  /**
   * The current token; `fresh` asks for a new one (the last one was refused). Undefined for a signed-out
   * reader: the request goes without credentials (only public reads answer it).
   */
  token: (fresh: boolean) => Promise<string | undefined>;
  /** The fetch to use. */
  fetch: typeof fetch;
  /** A fresh token was refused too, or could not be had: the user must sign in again. */
  onRefused?: (error: ErrorInfo) => void;
}

/** Calls the chat REST API under `/api/chat`, mapping every failure to a ChatError. */
export class RestClient {
  constructor(private readonly options: RestOptions) {}

  /** The base URL, token source and fetch: what an upload (attachments.ts) sends with. */
  get config(): RestOptions {
    return this.options;
  }

  /**
   * `GET|POST|PUT|DELETE /api/chat{path}`; a 401 is retried once with a fresh token, and when that is refused
   * too (or `getToken()` throws for it) `onRefused` hears of it.
   */
  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<RestResult<T>> {
    try {
      return await this.attempt<T>(method, path, await this.options.token(false), body);
    } catch (err) {
      if (!(err instanceof ChatError && err.code === 'UNAUTHENTICATED')) throw err;
    }
    let token: string | undefined;
    try {
      token = await this.options.token(true);
    } catch (cause) {
      const error = new ChatError('UNAUTHENTICATED', `No token: getToken() failed (${String(cause)}).`, { cause });
      this.options.onRefused?.(error.toInfo());
      throw error;
    }
    try {
      return await this.attempt<T>(method, path, token, body);
    } catch (err) {
      if (err instanceof ChatError && err.code === 'UNAUTHENTICATED') this.options.onRefused?.(err.toInfo());
      throw err;
    }
  }

  private async attempt<T>(method: string, path: string, token: string | undefined, body?: unknown): Promise<RestResult<T>> {
    const sentAt = Date.now();
    let res: Response;
    try {
      res = await this.options.fetch(joinUrl(this.options.baseUrl, DESTINATIONS.apiBase + path), {
        method,
        headers: {
          accept: 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          // A JSON body (issue 12's read position) is the only kind the API takes.
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      throw new ChatError('UNAVAILABLE', 'The chat server cannot be reached.', { cause });
    }
    const text = await res.text().catch(() => '');
    const json = parseJson(text);
    if (!res.ok) {
      const info = (json as { error?: unknown } | undefined)?.error;
      if (info !== undefined) throw ChatError.fromInfo(info);
      throw new ChatError(errorCodeForStatus(res.status), `The chat server answered ${res.status}.`);
    }
    // The Date header is truncated to the second, so the server's clock read date + [0, 1000) ms: take the
    // middle of that, against the middle of the request on the local clock.
    const date = Date.parse(res.headers.get('date') ?? '');
    const offset = Number.isFinite(date) ? Math.round(date + 500 - (sentAt + Date.now()) / 2) : undefined;
    return { body: json as T, text, serverTimeOffsetMs: offset };
  }
}
