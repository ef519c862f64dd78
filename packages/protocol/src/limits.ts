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
  /** A client sends "typing" at most this often while the user types, in ms; the server drops what comes faster. */
  typingThrottleMs: 3000,
  /** A typing name disappears this long after its last typing event, in ms. */
  typingExpiryMs: 5000,
  /** Images one CHAT message may carry. */
  attachmentsPerMessage: 4,
  /** Largest upload by default, in bytes (the server's `ATTACHMENT_MAX_BYTES` may change it). */
  attachmentMaxBytes: 10 * 1024 * 1024,
  /** Longest alt text of an attachment, in characters. */
  altMaxChars: 200,
  /** How long a sender may still delete their own message, in ms. */
  ownDeleteWindowMs: 5 * 60 * 1000,
  /** Longest report reason, in characters. */
  reportReasonMaxChars: 500,
  /** Longest mute, in ms (7 days). */
  muteMaxMs: 7 * 24 * 3600 * 1000,
  /**
   * Most viewers a pushed `viewers` event lists (its `count` is the total; REST has the whole list). 50 is what
   * a participant panel shows before "and N more", and keeps a push near 2–3 KB whatever the room's size: the
   * whole list of 5,000 viewers is ~160 KB to each of 5,000 subscribers.
   */
  viewersListMax: 50,
  /** Largest slow-mode interval, in ms (10 minutes). */
  slowModeMaxMs: 10 * 60 * 1000,
} as const;

/** Product ids (= room ids): 1–64 characters of letters, digits, `_` and `-`. */
export const PRODUCT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
