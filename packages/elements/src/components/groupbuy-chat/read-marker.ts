import type { RoomSession } from '@groupbuy/sdk';

/**
 * Marks the room read (issue 12) when the reader can see its end: the list is scrolled to the bottom, it is
 * displayed, and the page is visible. One request per new latest seq (a burst of renders asks once); a
 * refused or failed one is tried again with the next message.
 */
export class ReadMarker {
  private markedUpTo = 0;

  /** Called whenever `list` may have reached the end (after a render, on scroll). */
  seen(session: RoomSession | null, list: HTMLElement | null, atBottom: boolean): void {
    const lastSeq = session?.room?.lastSeq ?? 0;
    if (!session || !atBottom || lastSeq <= this.markedUpTo || session.unreadCount === 0) return;
    // A list that is not displayed (the launcher's panel closed, a hidden tab of the page) measures 0 high,
    // and so "at the end": it has shown nothing.
    if (!list || list.clientHeight === 0) return;
    if (typeof document !== 'undefined' && document.visibilityState !== 'visible') return;
    this.markedUpTo = lastSeq;
    session.markRead(lastSeq).catch(() => {
      this.markedUpTo = 0;
    });
  }

  /** Another room or reader. */
  reset(): void {
    this.markedUpTo = 0;
  }
}
