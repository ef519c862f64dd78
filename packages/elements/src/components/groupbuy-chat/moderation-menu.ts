import { html, nothing, svg, type ReactiveController, type TemplateResult } from 'lit';
import { decideDelete, decideModeration, roomRelation, sendWait, type ErrorInfo, type RoomRelation } from '@groupbuy/protocol';
import type { ViewMessage } from '@groupbuy/sdk';
import type { LocaleController } from '../../internal/locale-controller.js';
import type { RoomController } from '../../internal/room-controller.js';
import type { PartHost } from './part-host.js';
import { moderationStrings } from './moderation-ui.strings.js';

/** What a message's menu offers (issue 11). */
export type MenuAction = 'delete' | 'pin' | 'mute' | 'report';

/** What the moderation menu reads from the chat and tells it. */
export interface ModerationOptions {
  /** The chat's room. */
  readonly room: RoomController;
  /** The chat's language. */
  readonly locale: LocaleController;
  /** Shows a refused action in the chat's error banner (and tells the page). */
  readonly onError: (error: ErrorInfo) => void;
}

type HostToolsModule = typeof import('./host-tools.js');
/** The lazily loaded tools of one chat (see host-tools.ts). */
export type HostTools = InstanceType<HostToolsModule['HostTools']>;

// Three dots, drawn like the icons in internal/icons.ts (kept here: only this button uses it).
const moreIcon = svg`<svg class="icon" viewBox="0 0 20 20" width="20" height="20" fill="currentColor" aria-hidden="true" focusable="false"><circle cx="4.5" cy="10" r="1.5"/><circle cx="10" cy="10" r="1.5"/><circle cx="15.5" cy="10" r="1.5"/></svg>`;

/** How the chat's signed-in reader stands in its room (the protocol's roomRelation), or null before the room and the user are known. */
export function readerRelation(ctl: RoomController): RoomRelation | null {
  const user = ctl.client?.user;
  if (!ctl.room || !ctl.session || !user) return null;
  return roomRelation({ userId: user.userId, role: user.role === 'service' ? 'service' : 'user' }, ctl.room, ctl.session.isParticipant);
}

/**
 * The per-message menu of issue 11 and the host's controls: which actions a reader has on a stored message
 * (the protocol's `decideDelete` and `decideModeration` decide, never a copy of them), the menu button in
 * the initial bundle, and the menu itself, the report form and the slow-mode selector from host-tools.ts,
 * imported on the first click (and ahead of time for the host, whose header controls live there).
 */
export class ModerationMenu implements ReactiveController {
  /** The seq of the message whose menu is open, or null. */
  openSeq: number | null = null;
  /** Bumped whenever a row's menu must render again (the message list's guard reads it). */
  version = 0;
  /** The loaded tools, or null until host-tools.ts arrived. */
  tools: HostTools | null = null;
  private loading: Promise<HostTools> | undefined;
  private key = '';

  constructor(
    private readonly host: PartHost,
    private readonly options: ModerationOptions,
  ) {
    host.addController(this);
  }

  /** Before each render: the rows' menus follow the pin and the reader's standing; the host's controls need the tools at once. */
  hostUpdate(): void {
    const ctl = this.options.room;
    const key = `${ctl.room?.pinned?.seq ?? ''}|${String(ctl.session?.isParticipant)}|${String(ctl.session?.isHost)}|${ctl.phase}`;
    if (key !== this.key) {
      this.key = key;
      this.version += 1;
    }
    if (ctl.phase === 'ready' && this.moderator()) void this.load();
  }

  /** Loads host-tools.ts once. */
  load(): Promise<HostTools> {
    this.loading ??= import('./host-tools.js').then((m) => {
      this.tools = new m.HostTools(this.host, { ...this.options, menu: this });
      this.changed();
      return this.tools;
    });
    return this.loading;
  }

  /** How the signed-in reader stands in the room, or null before the room and the user are known. */
  relation(): RoomRelation | null {
    return readerRelation(this.options.room);
  }

  /** True when the reader moderates the room (the host, the service). */
  moderator(): boolean {
    const relation = this.relation();
    return relation !== null && decideModeration(relation).ok;
  }

  /** Why the composer is disabled while the reader is muted ("… until 3:12 PM"), or null. */
  mutedReason(): string | null {
    const until = this.options.room.session?.mutedUntil ?? null;
    if (until === null) return null;
    const f = this.options.locale.format;
    // A mute of a day ends tomorrow: the time alone would mislead.
    const sameDay = f.dayHeading(until) === f.dayHeading(new Date().toISOString());
    return moderationStrings(f.lang).mutedUntil(sameDay ? f.clock(until) : f.dateAndTime(until));
  }

  /** "Slow mode: one every 10 s" while slow mode holds the reader, or null (off, or the reader is exempt). */
  slowModeHint(): string | null {
    const room = this.options.room.room;
    const relation = this.relation();
    if (!room || relation === null || room.slowModeMs <= 0) return null;
    // The protocol's send rule decides who is exempt: would a send right after one's own last wait?
    const now = Date.now();
    if (sendWait(relation, { muteUntilMs: null, slowModeMs: room.slowModeMs, lastChatAtMs: now }, now) === null) return null;
    const f = this.options.locale.format;
    return moderationStrings(f.lang).slowMode(f.count(Math.round(room.slowModeMs / 1000)));
  }

  /** The host's controls under the header (the slow-mode selector), once the tools are loaded. */
  renderControls(): unknown {
    return this.moderator() && this.tools ? this.tools.renderControls() : nothing;
  }

  /** What the reader may do with `m`: none for a local copy, a tombstone or a SYSTEM line. */
  actions(m: ViewMessage): MenuAction[] {
    const ctl = this.options.room;
    const session = ctl.session;
    const room = ctl.room;
    const relation = this.relation();
    const me = ctl.userId;
    if (!session || !room || relation === null || me === undefined || ctl.phase !== 'ready') return [];
    if (m.status !== 'sent' || m.deleted || m.type === 'SYSTEM') return [];
    const own = m.sender?.userId === me;
    const moderator = decideModeration(relation).ok;
    const actions: MenuAction[] = [];
    if (decideDelete(relation, me, m, Date.now() + session.serverTimeOffsetMs).ok) actions.push('delete');
    if (moderator && m.type === 'NOTIFICATION' && room.pinned?.seq !== m.seq) actions.push('pin');
    if (moderator && m.type === 'CHAT' && m.sender && !own && m.sender.userId !== room.hostId) actions.push('mute');
    if (!own && !moderator) actions.push('report');
    return actions;
  }

  /** A message's menu button, and its menu while open. */
  render(m: ViewMessage): TemplateResult | typeof nothing {
    if (m.status !== 'sent') return nothing;
    const actions = this.actions(m);
    if (actions.length === 0) return nothing;
    const open = this.openSeq === m.seq;
    const t = moderationStrings(this.options.locale.format.lang);
    return html`<span class="menu-anchor" @focusout=${this.onFocusOut}>
      <button
        class="icon-button menu-button"
        part="message-menu-button"
        id=${`menu-button-${m.seq}`}
        aria-haspopup="menu"
        aria-expanded=${open ? 'true' : 'false'}
        aria-label=${t.messageMenu}
        @click=${() => this.toggle(m.seq)}
      >
        ${moreIcon}
      </button>
      ${open && this.tools ? this.tools.renderMenu(m, actions) : nothing}
    </span>`;
  }

  /** Opens `seq`'s menu (closing any other), or closes it when open; the first item takes the focus. */
  toggle(seq: number): void {
    if (this.openSeq === seq) {
      this.close(false);
      return;
    }
    this.openSeq = seq;
    this.changed();
    void this.load().then(async () => {
      await this.host.updateComplete;
      if (this.openSeq === seq) this.host.renderRoot.querySelector<HTMLElement>('[role="menu"] [role="menuitem"]')?.focus();
    });
  }

  /** Closes the open menu; `restoreFocus` puts the focus back on its button (Escape, a picked action). */
  close(restoreFocus: boolean): void {
    const seq = this.openSeq;
    if (seq === null) return;
    this.openSeq = null;
    this.changed();
    if (restoreFocus) {
      void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>(`#menu-button-${seq}`)?.focus());
    }
  }

  /** Something a row's menu shows changed: render the rows again. */
  changed(): void {
    this.version += 1;
    // Not after the chat left the page (a lazy import or a request that resolved late).
    if (this.host.isConnected) this.host.requestUpdate();
  }

  // Focus leaving the button and its menu (a click elsewhere, Tab away) closes it, as a menu does.
  private readonly onFocusOut = (e: FocusEvent): void => {
    const anchor = e.currentTarget as HTMLElement;
    const next = e.relatedTarget as Node | null;
    if (next && anchor.contains(next)) return;
    // A click on the button itself toggles; let that click decide.
    if (next === null) return;
    this.close(false);
  };
}
