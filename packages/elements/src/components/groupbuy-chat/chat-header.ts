import { html, nothing, type ReactiveController, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { joinOutcome, type Room } from '@groupbuy/protocol';
import { countdown } from '../../internal/countdown.js';
import { chevronIcon, clockIcon, peopleIcon } from '../../internal/icons.js';
import type { LocaleController } from '../../internal/locale-controller.js';
import type { RoomController } from '../../internal/room-controller.js';
import type { PartHost } from './part-host.js';

/** Under this many ms left, the countdown turns urgent. */
const URGENT_MS = 3_600_000;

/** What the header reads from the chat. */
export interface ChatHeaderOptions {
  /** The chat's room. */
  readonly room: RoomController;
  /** The chat's language. */
  readonly locale: LocaleController;
}

/** What the chat's own state adds to the header on each render. */
export interface ChatHeaderView {
  /** The room to show: the chat's, else the public feed's, else null (loading, signed out, failed). */
  readonly room: Room | null;
  /** The participants panel is open (the buyers button's `aria-expanded`). */
  readonly panelOpen: boolean;
  /** A join or leave in flight. */
  readonly busy: 'join' | 'leave' | null;
  /** The buyers button. */
  readonly togglePanel: () => void;
  /** The Join button. */
  readonly join: () => void;
  /** The Leave button. */
  readonly leave: () => void;
  /** Buttons after the buyers button (issue 12: invite, the seller's stats), or nothing. */
  readonly controls?: TemplateResult | typeof nothing;
}

/**
 * The header: the deal's title, status badge, live countdown, the buyers button, the progress bar and the
 * Join / Leave button (a skeleton while loading, the chat's title alone when there is no room to show).
 */
export class ChatHeader implements ReactiveController {
  private urgencyTimer: ReturnType<typeof setTimeout> | undefined;
  private urgencyFor: string | null = null;
  private cachedFormat: { key: string; fn: (ms: number) => string } | undefined;

  constructor(
    private readonly host: PartHost,
    private readonly options: ChatHeaderOptions,
  ) {
    host.addController(this);
  }

  /** After each render: (re)arm the moment the badge turns "ending soon". */
  hostUpdated(): void {
    this.armUrgency();
  }

  /** Stops the urgency timer. */
  hostDisconnected(): void {
    clearTimeout(this.urgencyTimer);
    this.urgencyFor = null;
  }

  // The countdown ticks on its own without re-rendering the widget; the badge turns "ending soon" an hour
  // before the deadline, so render once more at that moment.
  private armUrgency(): void {
    const room = this.options.room.room;
    const key = room && room.status === 'ACTIVE' ? room.expiresAt : null;
    if (key === this.urgencyFor) return;
    this.urgencyFor = key;
    clearTimeout(this.urgencyTimer);
    if (!key) return;
    const offset = this.options.room.session?.serverTimeOffsetMs ?? 0;
    const inMs = Date.parse(key) - URGENT_MS - (Date.now() + offset);
    if (inMs > 0 && inMs < 2 ** 31 - 1) this.urgencyTimer = setTimeout(() => this.host.requestUpdate(), inMs + 50);
  }

  /** The header for `view.room`. */
  render(view: ChatHeaderView): TemplateResult {
    const { t, format: f } = this.options.locale;
    const ctl = this.options.room;
    const room = view.room;
    if (!room && (ctl.phase === 'signed-out' || ctl.phase === 'error')) {
      return html`<header class="header" part="header">
        <div class="title-row"><h2 class="title" part="title">${t.chatTitle}</h2></div>
      </header>`;
    }
    if (!room) {
      return html`<header class="header" part="header" aria-busy=${ctl.phase === 'loading' ? 'true' : 'false'}>
        <div class="skeleton title-skeleton"></div>
        <div class="skeleton meta-skeleton"></div>
        <div class="skeleton bar-skeleton"></div>
      </header>`;
    }
    const session = ctl.session;
    const { participantCount: count, maxParticipants: max, minParticipants: min, status } = room;
    const remainingMs = Date.parse(room.expiresAt) - (Date.now() + (session?.serverTimeOffsetMs ?? 0));
    const urgent = status === 'ACTIVE' && remainingMs < URGENT_MS;
    const pct = Math.min(100, Math.round((count / Math.max(max, 1)) * 100));
    const watching = ctl.watcherCount;
    let detail: string;
    if (status === 'CANCELLED') detail = t.dealCancelled;
    else if (status === 'CLOSED') detail = t.dealOn;
    else if (count < min && min < max) detail = t.moreNeeded(f.count(min - count));
    else detail = t.moreToClose(f.count(max - count));
    return html`<header class="header" part="header">
      <div class="title-row">
        <h2 class="title" part="title">${room.title}</h2>
        <span class="badge ${status.toLowerCase()} ${urgent ? 'urgent' : ''}" part="status status-${status.toLowerCase()}">
          ${urgent ? t.endingSoon : t.status[status]}
        </span>
      </div>
      <div class="meta-row">
        <span class="countdown ${urgent ? 'urgent' : ''}" part="countdown">
          ${clockIcon}
          ${
            status === 'ACTIVE'
              ? html`<time datetime=${room.expiresAt} title=${f.dateAndTime(room.expiresAt)}
                >${countdown(Date.parse(room.expiresAt), session?.serverTimeOffsetMs ?? 0, this.timeLeftFormat())}</time
              >`
              : html`<time datetime=${room.closedAt ?? room.expiresAt}>${t.endedAt(f.dateAndTime(room.closedAt ?? room.expiresAt))}</time>`
          }
        </span>
        ${
          session
            ? html`<button
          class="chip-button"
          part="participants-button"
          aria-expanded=${view.panelOpen ? 'true' : 'false'}
          aria-controls="participants-panel"
          @click=${view.togglePanel}
        >
          ${peopleIcon}<span>${t.participantsButton(f.count(count))}</span>
          ${
            watching > 0
              ? html`<span class="chip-watchers" part="participants-button-watchers"
                ><span aria-hidden="true">·</span> ${t.watchersButton(f.count(watching))}</span
              >`
              : nothing
          }
          <span class="chevron ${view.panelOpen ? 'open' : ''}">${chevronIcon}</span>
        </button>`
            : nothing
        }
        ${view.controls ?? nothing}
      </div>
      <div class="progress-row">
        <div class="progress-block">
          <div
            class="progress ${status.toLowerCase()}"
            part="progress"
            role="progressbar"
            aria-label=${t.progressLabel}
            aria-valuemin="0"
            aria-valuemax=${max}
            aria-valuenow=${count}
            aria-valuetext=${t.progressValue(f.count(count), f.count(max))}
          >
            <div class="bar" style=${styleMap({ width: `${pct}%` })}></div>
            ${
              min < max && status === 'ACTIVE'
                ? html`<div class="min-mark" style=${styleMap({ left: `${(min / max) * 100}%` })}></div>`
                : nothing
            }
          </div>
          <div class="progress-text" part="progress-text">
            <strong>${t.progressValue(f.count(count), f.count(max))}</strong>
            <span aria-hidden="true">·</span>
            <span>${detail}</span>
          </div>
        </div>
        ${this.renderJoinButton(room, view)}
      </div>
    </header>`;
  }

  // One function per language for the countdown directive, so it does not restart on every render.
  private timeLeftFormat(): (ms: number) => string {
    const { t, format: f } = this.options.locale;
    const key = f.lang;
    if (this.cachedFormat?.key !== key) {
      this.cachedFormat = { key, fn: (ms) => (ms <= 0 ? t.deadlinePassed : t.timeLeft(f.duration(ms))) };
    }
    return this.cachedFormat.fn;
  }

  private renderJoinButton(room: Room, view: ChatHeaderView): TemplateResult | typeof nothing {
    const ctl = this.options.room;
    const session = ctl.session;
    if (!session || session.isHost || ctl.phase !== 'ready') return nothing;
    const { t } = this.options.locale;
    if (room.status !== 'ACTIVE') {
      return session.isParticipant ? html`<span class="joined-tag">${t.joined}</span>` : nothing;
    }
    // A join or leave needs the server now: while the connection is down it would only fail.
    const offline = ctl.state !== 'open';
    const { busy } = view;
    if (session.isParticipant) {
      return html`<button class="button secondary" part="join-button" ?disabled=${busy !== null || offline} aria-busy=${busy === 'leave' ? 'true' : 'false'} @click=${view.leave}>
        ${busy === 'leave' ? t.leaving : t.leave}
      </button>`;
    }
    // The protocol's join rule: a full deal refuses (ROOM_FULL), so the button does not offer it.
    const refused = !joinOutcome(room, false).ok;
    return html`<button class="button primary" part="join-button" ?disabled=${busy !== null || refused || offline} aria-busy=${busy === 'join' ? 'true' : 'false'} @click=${view.join}>
      ${busy === 'join' ? t.joining : t.join}
    </button>`;
  }
}
