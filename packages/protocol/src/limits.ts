/** Shared limits. Server and clients read the same numbers so a client can refuse early with the same words. */
export const LIMITS = {
  /** Longest chat message, in characters (UTF-16 code units) after trimming. */
  contentMaxChars: 2000,
  /** Longest product title, in characters. */
  titleMaxChars: 200,
  /** Longest `clientMsgId`, in characters. */
  clientMsgIdMaxChars: 64,
  /** Longest display name, in characters. */
  nameMaxChars: 64,
  /** Largest STOMP frame / WebSocket message / Socket.IO packet the server reads, in bytes. */
  frameMaxBytes: 16 * 1024,
  /** Largest REST request body, in bytes. */
  bodyMaxBytes: 16 * 1024,
  /** Default page size of message history. */
  historyPageDefault: 50,
  /** Largest page size of message history. */
  historyPageMax: 100,
  /** How many missed messages the server replays on a resumed subscription before it says "too many". */
  replayWindow: 1000,
  /** Smallest allowed cap. */
  maxParticipantsMin: 2,
  /** Largest allowed cap. */
  maxParticipantsMax: 10000,
  /** Live subscriptions one connection may hold. */
  subscriptionsPerConnection: 20,
} as const;

/** Product ids (= room ids): 1–64 characters of letters, digits, `_` and `-`. */
export const PRODUCT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
