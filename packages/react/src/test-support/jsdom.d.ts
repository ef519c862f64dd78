// The one jsdom API the hook tests use (jsdom ships no types; @types/jsdom would be a dependency for a line).
declare module 'jsdom' {
  /** A document with a window, in Node. */
  export class JSDOM {
    constructor(html: string, options?: { url?: string });
    /** The document's window. */
    readonly window: Window & typeof globalThis;
  }
}
