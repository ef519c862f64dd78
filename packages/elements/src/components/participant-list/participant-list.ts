import { html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { RoomSession } from '@groupbuy/sdk';
import { RoomController } from '../../internal/room-controller.js';
import { RoomElement } from '../../internal/room-element.js';
import { hueOf, initialOf } from '../../internal/theme.styles.js';
import { styles } from './participant-list.styles.js';

// The theme's CSS custom properties (--groupbuy-accent …) are documented once, in internal/theme.styles.ts;
// scripts/gen-elements-docs.mjs adds the ones this element's stylesheets read to its manifest entry.

/**
 * Who is in a group-buy deal, live: the buyers (how many of the cap, when each joined) and, apart from
 * them, the people watching the chat right now without having joined. The seller is marked wherever they
 * are, the reader as "you".
 *
 * Standalone it takes a `client`, or `token` / `tokenProvider` plus `base-url`, like `<groupbuy-chat>`;
 * inside the chat it is handed the chat's `session`. Watchers come from the session's `viewers` (everyone
 * with the chat open, refreshed on joins and leaves and every 20 s) minus its buyers.
 *
 * @summary Live list of the buyers and watchers of a group-buy deal.
 * @tagname participant-list
 *
 * @slot empty - Shown while nobody has joined.
 *
 * @csspart header - Title and count.
 * @csspart title - "Buyers".
 * @csspart count - "7/10", announced politely when it changes.
 * @csspart list - The `<ul>` of buyers.
 * @csspart participant - One buyer (also `participant-self`, `participant-host`).
 * @csspart name - A buyer's or watcher's name.
 * @csspart empty - The empty state.
 * @csspart watchers - The section of people watching without having joined.
 * @csspart watchers-header - "Watching now · 3", announced politely when it changes.
 * @csspart watchers-title - "Watching now".
 * @csspart watchers-count - "3".
 * @csspart watchers-list - The `<ul>` of watchers (absent while nobody watches).
 * @csspart watcher - One watcher (also `watcher-self`, `watcher-host`).
 * @csspart watchers-more - "and 1,184 more" after the list of a large room (the server lists the first 50 viewers).
 */
export class ParticipantList extends RoomElement {
  static override styles = styles;

  /** A room session to show, e.g. the one `<groupbuy-chat>` already has. Wins over everything else. */
  @property({ attribute: false }) session: RoomSession | undefined;

  private readonly roomCtl = new RoomController(this);

  override render(): TemplateResult {
    const { t, format: f } = this.locale;
    const ctl = this.roomCtl;
    const room = ctl.room;
    const buyers = ctl.participants;
    const me = ctl.userId;
    const hostId = room?.hostId ?? null;
    const count = room?.participantCount ?? buyers.length;
    return html`<div class="base">
      <section class="section" aria-labelledby="title">
        <div class="header" part="header">
          <span id="title" class="title" part="title">${t.participantsTitle}</span>
          ${
            room
              ? html`<span class="count" part="count" aria-live="polite">${t.buyersCount(f.count(count), f.count(room.maxParticipants))}</span>`
              : nothing
          }
        </div>
        ${
          ctl.phase === 'ready' || buyers.length > 0
            ? buyers.length === 0
              ? html`<p class="empty" part="empty"><slot name="empty">${t.noBuyers}</slot></p>`
              : html`<ul class="list" part="list" aria-labelledby="title">
                ${repeat(
                  buyers,
                  (p) => p.userId,
                  (p) => {
                    const self = p.userId === me;
                    const host = p.userId === hostId;
                    return html`<li class="participant" part="participant ${self ? 'participant-self' : ''} ${host ? 'participant-host' : ''}">
                      ${this.renderAvatar(p, '')}
                      <span class="who">${this.renderName(p, self, host)}</span>
                      <time class="joined" datetime=${p.joinedAt} title=${f.dateAndTime(p.joinedAt)}>${t.joinedAt(f.clock(p.joinedAt))}</time>
                    </li>`;
                  },
                )}
              </ul>`
            : html`<p class="empty note">${ctl.phase === 'signed-out' ? t.signedOut : ctl.phase === 'error' && ctl.loadError ? t.error(ctl.loadError.code) : t.loading}</p>`
        }
      </section>
      ${room && ctl.phase === 'ready' ? this.renderWatchers(me, hostId) : nothing}
    </div>`;
  }

  private renderWatchers(me: string | undefined, hostId: string | null): TemplateResult {
    const { t, format: f } = this.locale;
    const watchers = this.roomCtl.watchers;
    const count = this.roomCtl.watcherCount;
    // The header stays while nobody watches, so the live region exists before the count first changes.
    return html`<section class="section watchers ${count === 0 ? 'none' : ''}" part="watchers" aria-labelledby="watchers-title">
      <div class="header" part="watchers-header" aria-live="polite" aria-atomic="true">
        <span class="title">
          <span id="watchers-title" part="watchers-title">${t.watchersTitle}</span><span aria-hidden="true"> · </span><span
            class="watchers-count"
            part="watchers-count"
            >${t.watchersCount(f.count(count))}</span
          >
        </span>
      </div>
      ${
        watchers.length === 0
          ? nothing
          : html`<ul class="chips" part="watchers-list" aria-labelledby="watchers-title">
            ${repeat(
              watchers,
              (v) => v.userId,
              (v) => {
                const self = v.userId === me;
                const host = v.userId === hostId;
                return html`<li class="watcher" part="watcher ${self ? 'watcher-self' : ''} ${host ? 'watcher-host' : ''}">
                  ${this.renderAvatar(v, 'small')}${this.renderName(v, self, host)}
                </li>`;
              },
            )}
          </ul>`
      }
      ${count > watchers.length ? html`<p class="more" part="watchers-more">${t.watchersMore(f.count(count - watchers.length))}</p>` : nothing}
    </section>`;
  }

  private renderAvatar(person: { userId: string; name: string }, size: '' | 'small'): TemplateResult {
    return html`<span class="avatar ${size}" aria-hidden="true" style=${styleMap({ '--_hue': String(hueOf(person.userId)) })}
      >${initialOf(person.name)}</span
    >`;
  }

  // One name with its tags, the same for a buyer row and a watcher chip.
  private renderName(person: { name: string }, self: boolean, host: boolean): TemplateResult {
    const { t } = this.locale;
    return html`<span class="name" part="name">${person.name}</span>
      ${self ? html`<span class="tag soft">${t.you}</span>` : nothing} ${host ? html`<span class="tag">${t.seller}</span>` : nothing}`;
  }
}
