import { html, type ReactiveController } from 'lit';
import type { Room, SystemEvent } from '@groupbuy/protocol';
import type { RoomSession } from '@groupbuy/sdk';
import { AddressEntry } from './address-form-entry.js';
import { adoptLazyStyles } from './attach-lazy-styles.js';
import type { ComposerModeration } from './composer.js';
import { ModerationMenu, type ModerationOptions } from './moderation-menu.js';
import { moderationStyles } from './moderation-menu.styles.js';
import { moderationStrings, type ModerationStrings } from './moderation-ui.strings.js';
import type { PartHost } from './part-host.js';
import { PinnedNotice } from './pinned-notice.js';

/**
 * Issue 11's parts of the chat, one lazily imported chunk (moderation-loader.ts loads it once the chat has
 * a session, or a signed-out visitor's room has a pinned notice): the per-message menu, the mute and slow
 * mode of the composer, the pinned notice, the shipping-address entry and the PII hint, the moderation
 * SYSTEM lines, with their styles and words. The menu's actions and the address form are chunks of their
 * own again (host-tools.ts, address-form.ts), fetched on first use.
 */
export class ModerationUi implements ComposerModeration, ReactiveController {
  /** The per-message menu and the host's controls. */
  readonly menu: ModerationMenu;
  /** The shipping-address button (or the host's count), the form and the PII hint. */
  readonly address: AddressEntry;
  private readonly pinned: PinnedNotice;
  private followed: RoomSession | null = null;
  private unsubscribe: Array<() => void> = [];
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: PartHost & { productId: string },
    private readonly options: ModerationOptions,
  ) {
    adoptLazyStyles(host.renderRoot, moderationStyles);
    this.menu = new ModerationMenu(host, options);
    this.address = new AddressEntry(host, options);
    this.pinned = new PinnedNotice(host);
    host.addController(this);
  }

  /** Before each render: follow the session's mute/cooldown changes (its notices come through ModerationLoader). */
  hostUpdate(): void {
    const session = this.options.room.session;
    if (session === this.followed) return;
    this.stop();
    this.followed = session;
    if (!session) return;
    // The mute or the cooldown began or ended: the composer follows (re-enables by itself, counts down).
    this.unsubscribe = [session.on('moderation', () => this.host.requestUpdate())];
  }

  /** After each render: while slow mode's cooldown runs, the send button's seconds tick. */
  hostUpdated(): void {
    const until = this.options.room.session?.cooldownUntil ?? null;
    if (until === null || until <= Date.now() || this.ticker !== undefined) return;
    this.ticker = setInterval(() => {
      if ((this.options.room.session?.cooldownUntil ?? 0) <= Date.now()) {
        clearInterval(this.ticker);
        this.ticker = undefined;
      }
      this.host.requestUpdate();
    }, 1000);
  }

  /** Lets go of the session. */
  hostDisconnected(): void {
    this.stop();
    this.followed = null;
  }

  private stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private get s(): ModerationStrings {
    return moderationStrings(this.options.locale.format.lang);
  }

  /** Under the header: the pinned notice of `room`, then the row of tools (slow-mode selector, address entry). */
  renderUnderHeader(room: Room | null): unknown[] {
    const session = this.options.room.session;
    const pinned = this.pinned.render({
      room,
      t: this.s,
      unpin: session && this.menu.moderator() ? () => session.unpin() : undefined,
      onError: this.options.onError,
    });
    return [pinned, html`<div class="tools" part="tools">${this.menu.renderControls()}${this.address.renderButton()}</div>`];
  }

  /** Why the composer is disabled while the reader is muted, or null. */
  mutedReason(): string | null {
    return this.menu.mutedReason();
  }

  /** "Slow mode: one every 10 s" while slow mode holds the reader, or null. */
  slowModeHint(): string | null {
    return this.menu.slowModeHint();
  }

  /** The send button's cooldown label (`5초`). */
  cooldown(seconds: string): string {
    return this.s.cooldown(seconds);
  }

  /** The SYSTEM line of a moderation event in the reader's language, or undefined for the others. */
  systemText(event: SystemEvent): string | undefined {
    return this.s.system(event);
  }
}
