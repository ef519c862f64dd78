import { nothing, type TemplateResult } from 'lit';
import type { ErrorInfo } from '@groupbuy/protocol';
import type { LocaleController } from '../../internal/locale-controller.js';
import type { RoomController } from '../../internal/room-controller.js';
import type { InviteFlow } from './invite-flow.js';
import type { PartHost } from './part-host.js';

/** What the invite button reads from the chat. */
export interface InviteButtonOptions {
  /** The chat's room. */
  readonly room: RoomController;
  /** The chat's language. */
  readonly locale: LocaleController;
  /** The product page the link points at: the shop's `invite-url`, else this page (any old `gb_ref` is replaced). */
  readonly pageUrl: () => string;
  /** A refused invite (shown in the chat's error banner). */
  readonly onError: (error: ErrorInfo) => void;
}

/**
 * "친구 초대" / "Invite friends" in the header for a signed-in user of an open deal. The button, its polite
 * live region ("Link copied") and what a press does ({@link InviteFlow}: share, copy, or show the link)
 * are a small chunk of their own, fetched once the chat is ready for a signed-in user, so the live region
 * is on the page before anything lands in it.
 */
export class InviteButton {
  private flow: InviteFlow | null = null;
  private fetching = false;

  constructor(
    private readonly host: PartHost,
    private readonly options: InviteButtonOptions,
  ) {}

  /** The button and its live region (nothing until its chunk arrived), or nothing without a signed-in open deal. */
  render(): TemplateResult | typeof nothing {
    const ctl = this.options.room;
    if (!ctl.session || ctl.phase !== 'ready' || ctl.room?.status !== 'ACTIVE') return nothing;
    if (!this.flow && !this.fetching) {
      this.fetching = true;
      void import('./invite-flow.js').then(({ InviteFlow }) => {
        this.flow = new InviteFlow(this.host, this.options);
        // A widget taken off the page meanwhile is not rendered again (its controllers let go of the room).
        if (this.host.isConnected) this.host.requestUpdate();
      });
    }
    return this.flow?.render() ?? nothing;
  }
}
