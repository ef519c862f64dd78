import { html, type ReactiveController, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { LIMITS, toChatError, type ErrorInfo } from '@groupbuy/protocol';
import type { AttachmentInput, ViewMessage } from '@groupbuy/sdk';
import { sendIcon } from '../../internal/icons.js';
import type { LocaleController } from '../../internal/locale-controller.js';
import type { RoomController } from '../../internal/room-controller.js';
import { Attach } from './attach.js';
import type { PartHost } from './part-host.js';

/** The tallest the textarea grows to, in px, before it scrolls. */
const INPUT_MAX_PX = 160;

/** What the composer reads from the chat and tells it. */
export interface ComposerOptions {
  /** The chat's room. */
  readonly room: RoomController;
  /** The chat's language. */
  readonly locale: LocaleController;
  /** Why the reader may not write now (the sentence shown instead of the hint), or null. */
  readonly readOnlyReason: () => string | null;
  /** A message went out (pending). */
  readonly sent: (message: ViewMessage) => void;
  /** Sending failed before it started (shown in the error banner, told to the page). */
  readonly onError: (error: ErrorInfo) => void;
  /** Issue 11: the slow-mode words (a lazily loaded chunk), or null until they are there. */
  readonly moderation?: () => ComposerModeration | null;
}

/** What the composer shows of slow mode (issue 11), from the moderation chunk. */
export interface ComposerModeration {
  /** "Slow mode: one every 10 s" while slow mode holds the reader (not the exempt seller), or null. */
  slowModeHint(): string | null;
  /** The send button's cooldown label for `seconds` (`5초`). */
  cooldown(seconds: string): string;
}

/**
 * The composer: the textarea (Enter sends, Shift+Enter breaks the line, never during IME composition),
 * the send button, and the hint under them — keys, the length limit, a rate-limit countdown, or why the
 * reader may not write — with what screen readers are told about it.
 */
export class Composer implements ReactiveController {
  private draft = '';
  // What screen readers are told about the composer, set once when a state is entered: the visible hint
  // ticks every second (rate limit) or every keystroke (too long) and would be read again and again.
  private announcement = '';
  private rateLimitUntil = 0;
  private rateTimer: ReturnType<typeof setInterval> | undefined;
  /** The photos of the next message (issue 12): attach button, paste, drop, and the tray (loaded on use). */
  readonly attach: Attach;

  constructor(
    private readonly host: PartHost,
    private readonly options: ComposerOptions,
  ) {
    host.addController(this);
    this.attach = new Attach(host, options.room, options.locale, () => options.readOnlyReason() === null && options.room.phase === 'ready');
  }

  /** Stops the rate-limit countdown. */
  hostDisconnected(): void {
    clearInterval(this.rateTimer);
  }

  /** The server refused a send for `ms`: count down in the hint and hold the send button until then. */
  startRateLimit(ms: number): void {
    const { t, format: f } = this.options.locale;
    this.rateLimitUntil = Date.now() + ms;
    this.announcement = t.rateLimited(f.count(Math.ceil(ms / 1000)));
    clearInterval(this.rateTimer);
    this.rateTimer = setInterval(() => {
      if (Date.now() >= this.rateLimitUntil) {
        clearInterval(this.rateTimer);
        this.announcement = '';
      }
      this.host.requestUpdate();
    }, 1000);
    this.host.requestUpdate();
  }

  // Until when a send must wait: a refusal's countdown, or slow mode's cooldown (issue 11; the moderation
  // chunk re-renders each second while it runs), whichever ends later.
  private waitUntil(): number {
    return Math.max(this.rateLimitUntil, this.options.room.session?.cooldownUntil ?? 0);
  }

  /** The composer row, its hint and the live region. */
  render(): TemplateResult {
    const { t, format: f } = this.options.locale;
    const reason = this.options.readOnlyReason();
    const disabled = reason !== null || this.options.room.phase !== 'ready';
    const secondsLeft = Math.ceil((this.waitUntil() - Date.now()) / 1000);
    const moderation = this.options.moderation?.();
    const length = this.draft.trim().length;
    const tooLong = length > LIMITS.contentMaxChars;
    // Touch screens have no Shift+Enter: the hint follows the pointer, not the width (a narrow desktop
    // window still has a keyboard).
    let hint: TemplateResult | string =
      html`<span class="hint-keys">${t.composerHint}</span><span class="hint-touch">${t.composerHintTouch}</span>`;
    let hintKind = '';
    if (reason) {
      hint = reason;
      hintKind = 'reason';
    } else if (this.rateLimitUntil > Date.now()) {
      hint = t.rateLimited(f.count(secondsLeft));
      hintKind = 'error';
    } else if (tooLong) {
      hint = t.tooLong(f.count(length), f.count(LIMITS.contentMaxChars));
      hintKind = 'error';
    } else if (length > LIMITS.contentMaxChars * 0.9) {
      hint = `${f.count(length)}/${f.count(LIMITS.contentMaxChars)}`;
    } else {
      hint = moderation?.slowModeHint() ?? hint;
    }
    const canSend = !disabled && (length > 0 || !!this.attach.tray?.count) && !tooLong && secondsLeft <= 0;
    return html`${this.attach.tray?.render()}<form class="composer ${disabled ? 'disabled' : ''}" part="composer" @submit=${this.onSubmit}>
        <label class="sr-only" for="input">${t.inputLabel}</label>
        ${this.attach.button(disabled)}
        <textarea
          id="input"
          part="input"
          rows="1"
          enterkeyhint="send"
          placeholder=${t.placeholder}
          aria-describedby="composer-hint"
          aria-invalid=${tooLong ? 'true' : 'false'}
          ?disabled=${disabled}
          .value=${live(this.draft)}
          @input=${this.onInput}
          @compositionend=${this.onCompositionEnd}
          @keydown=${this.onKeydown}
          @paste=${this.attach.onFiles}
        ></textarea>
        <button class="send" part="send-button" type="submit" aria-label=${t.send} ?disabled=${!canSend}>
          ${secondsLeft > 0 && !disabled ? html`<span class="cooldown" part="cooldown">${moderation?.cooldown(f.count(secondsLeft))}</span>` : sendIcon}
        </button>
      </form>
      <div id="composer-hint" class="hint ${hintKind}" part="composer-hint">${hint}</div>
      <div class="sr-only" role="status" aria-live="polite">${this.announcement}</div>`;
  }

  private get input(): HTMLTextAreaElement | null {
    return this.host.renderRoot.querySelector('textarea');
  }

  private readonly onInput = (e: InputEvent): void => {
    const { t, format: f } = this.options.locale;
    const el = e.target as HTMLTextAreaElement;
    const wasTooLong = this.draft.trim().length > LIMITS.contentMaxChars;
    this.draft = el.value;
    const tooLong = this.draft.trim().length > LIMITS.contentMaxChars;
    if (tooLong && !wasTooLong) this.announcement = t.tooLongAlert(f.count(LIMITS.contentMaxChars));
    else if (!tooLong && wasTooLong) this.announcement = '';
    this.resizeInput();
    this.host.requestUpdate();
    // "I am typing" (issue 12), throttled by the SDK. Not for IME composition-only changes (each jamo of a
    // Hangul syllable): the syllable committed at compositionend counts instead.
    if (!e.isComposing) this.typed();
  };

  private readonly onCompositionEnd = (): void => this.typed();

  private typed(): void {
    if (this.draft.trim().length > 0 && this.options.room.phase === 'ready' && !this.options.readOnlyReason())
      this.options.room.session?.typing();
  }

  private resizeInput(): void {
    const el = this.input;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, INPUT_MAX_PX)}px`;
  }

  private readonly onKeydown = (e: KeyboardEvent): void => {
    if (e.key !== 'Enter' || e.shiftKey) return;
    // Enter during IME composition (Korean Hangul, Japanese kana …) commits the syllable; it must never
    // send. Safari reports that Enter after compositionend with isComposing false but keyCode 229, and
    // keyCode is the only field that tells.
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- Safari's IME Enter, see above
    if (e.isComposing || e.keyCode === 229) return;
    e.preventDefault();
    this.sendDraft();
  };

  private readonly onSubmit = (e: Event): void => {
    e.preventDefault();
    this.sendDraft();
  };

  // With photos, the send waits for their uploads and comes back here with what to attach.
  private sendDraft(attachments?: AttachmentInput[]): void {
    const ctl = this.options.room;
    const session = ctl.session;
    const text = this.draft;
    if (!session || this.options.readOnlyReason() || ctl.phase !== 'ready') return;
    if ((text.trim().length === 0 && !this.attach.tray?.count) || text.trim().length > LIMITS.contentMaxChars) return;
    if (this.waitUntil() > Date.now()) return;
    const tray = this.attach.tray;
    if (!attachments && tray?.count) {
      void tray.collect().then((ready) => ready && this.sendDraft(ready));
      return;
    }
    let message: ViewMessage;
    try {
      message = session.send(text, attachments && { attachments });
    } catch (err) {
      this.options.onError(toChatError(err).toInfo());
      return;
    }
    this.draft = '';
    tray?.clear();
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => this.resizeInput());
    this.options.sent(message);
  }
}
