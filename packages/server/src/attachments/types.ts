import type { Hono } from 'hono';
import type { TokenVerifier } from '../auth/jwt.js';
import type { Logger } from '../logger-core.js';
import type { RoomService } from '../rooms/service.js';
import type { ChatStore } from '../stores/types.js';

/** What the core hands the attachments feature. */
export interface AttachmentModuleDeps {
  /** The JWT secret, from which image URLs are signed unless ATTACHMENT_URL_SECRET is set. */
  jwtSecret: string | undefined;
  /** Epoch ms. */
  now: () => number;
  /** Structured logs. */
  logger: Logger;
}

/** Something that starts and stops (the orphan sweep). */
export interface Startable {
  /** Starts it. */
  start(): void;
  /** Stops it, waiting for work in progress. */
  stop(): Promise<void>;
}

/** The attachments feature as the core sees it (built by attachments/module.ts in the Node server). */
export interface AttachmentModule {
  /** The store readers and writers use: messages leave it with their images. */
  wrapStore(store: ChatStore, deps: AttachmentModuleDeps): ChatStore;
  /** The upload and image routes, mounted under `/api/chat` before the room routes. */
  routes(deps: AttachmentModuleDeps & { service: RoomService; verifier: TokenVerifier; store: ChatStore }): Hono;
  /** The orphan sweep. */
  sweeper(store: ChatStore, deps: AttachmentModuleDeps): Startable;
}

/** The upload path, which the API's 16 KB body limit leaves to the upload route's own limit. */
export const UPLOAD_PATH = /^\/api\/chat\/rooms\/[^/]+\/attachments$/;
