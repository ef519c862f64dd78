import { html, nothing, type ReactiveController, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { ChatError, LIMITS, toChatError, uploadProblem } from '@groupbuy/protocol';
import type { AttachmentInput, RoomSession, UploadedImage } from '@groupbuy/sdk';
import type { Formats } from '../../internal/i18n.js';
import { closeIcon } from '../../internal/icons.js';
import { adoptLazyStyles } from './attach-lazy-styles.js';
import { photoStrings, type PhotoStrings } from './attach-strings.js';
import { trayStyles } from './attach-tray.styles.js';
import type { PartHost } from './part-host.js';

/** Where one picked photo is: going up, stored on the server, or refused/failed (its `error` says why). */
export type PhotoState = 'uploading' | 'done' | 'failed';

/** One photo picked for the next message. */
export interface PickedPhoto {
  /** Stable key while the photo is in the tray. */
  readonly key: number;
  /** The file as picked. */
  readonly file: File;
  /** An object URL of the file for the thumbnail, revoked when the photo leaves the tray. */
  readonly thumb: string;
  /** Alt text (defaults to the file name without its extension). */
  alt: string;
  /** Upload state. */
  state: PhotoState;
  /** Share uploaded, 0–1. */
  progress: number;
  /** Why the upload failed (the server's message), when `state` is `'failed'`. */
  error: string | null;
  /** The stored image, once `state` is `'done'`. */
  image: UploadedImage | null;
  /** Aborts the upload when the photo is removed. */
  readonly abort: AbortController;
  /** Settles (never rejects) when the current upload ends. */
  settled: Promise<void>;
}

/** What the tray needs from the chat. */
export interface TrayOptions {
  /** The room session to upload to, when there is one (only its `upload` is used). */
  readonly session: () => Pick<RoomSession, 'upload'> | null;
  /** The formatters (and language) of the chat. */
  readonly format: () => Formats;
}

/** The alt text a photo starts with: its file name without the extension, cut to the limit. */
export function defaultAlt(name: string): string {
  return name
    .replace(/\.[^.]*$/, '')
    .trim()
    .slice(0, LIMITS.altMaxChars);
}

/**
 * The photos picked for the next message (issue 12), loaded on the first pick, paste or drop: each starts
 * uploading at once with its progress shown, has an editable alt text and a remove button, and a file that
 * is not a JPEG/PNG/WebP or is too large is refused with a message before anything goes up. `collect()`
 * waits for the uploads and hands the send what to attach.
 */
export class PhotoTray implements ReactiveController {
  private photos: PickedPhoto[] = [];
  private notice: { text: string; waiting: boolean } | null = null;
  private waiting = false;
  private nextKey = 0;

  constructor(
    private readonly host: PartHost,
    private readonly options: TrayOptions,
  ) {
    adoptLazyStyles(host.renderRoot, trayStyles);
    host.addController(this);
  }

  /** The chat left the page: cancel the uploads, free the thumbnails. */
  hostDisconnected(): void {
    this.dispose();
  }

  private get s(): PhotoStrings {
    return photoStrings(this.options.format().lang);
  }

  /** The photos in the tray, in order. */
  get items(): readonly PickedPhoto[] {
    return this.photos;
  }

  /** How many photos the next message carries. */
  get count(): number {
    return this.photos.length;
  }

  /** Adds picked, pasted or dropped files: refuses what may not go up (with a message), uploads the rest. */
  add(files: readonly File[]): void {
    const s = this.s;
    const f = this.options.format();
    const refusals: string[] = [];
    for (const file of files) {
      const problem = uploadProblem(file);
      if (problem === 'type') refusals.push(s.notImage(file.name));
      else if (problem === 'size') refusals.push(s.tooBig(file.name, f.count(LIMITS.attachmentMaxBytes / (1024 * 1024))));
      else if (this.photos.length >= LIMITS.attachmentsPerMessage) {
        refusals.push(s.tooMany(f.count(LIMITS.attachmentsPerMessage)));
        break;
      } else this.photos.push(this.upload(file));
    }
    this.notice = refusals.length > 0 ? { text: refusals.join(' '), waiting: false } : null;
    this.host.requestUpdate();
  }

  /** Takes a photo out of the tray (cancelling its upload). */
  remove(key: number): void {
    const photo = this.photos.find((p) => p.key === key);
    if (!photo) return;
    photo.abort.abort();
    URL.revokeObjectURL(photo.thumb);
    this.photos = this.photos.filter((p) => p !== photo);
    this.notice = null;
    this.host.requestUpdate();
  }

  /** Uploads a failed photo again. */
  retry(key: number): void {
    const photo = this.photos.find((p) => p.key === key);
    if (!photo || photo.state !== 'failed') return;
    this.start(photo);
    this.notice = null;
    this.host.requestUpdate();
  }

  /**
   * Waits for the uploads still running, then answers what to attach — or null when the send must wait:
   * a photo failed (the tray says so), another send is already waiting, or the tray emptied meanwhile.
   */
  async collect(): Promise<AttachmentInput[] | null> {
    if (this.waiting) return null;
    if (this.photos.some((p) => p.state === 'uploading')) {
      this.waiting = true;
      this.notice = { text: this.s.waiting, waiting: true };
      this.host.requestUpdate();
      while (this.photos.some((p) => p.state === 'uploading')) await Promise.all(this.photos.map((p) => p.settled));
      this.waiting = false;
      this.notice = null;
    }
    const photos = this.photos;
    if (photos.length === 0) return null;
    if (photos.some((p) => p.state !== 'done')) {
      this.notice = { text: this.s.fixFailed, waiting: false };
      this.host.requestUpdate();
      return null;
    }
    return photos.map((p) => ({ ...(p.image as UploadedImage), alt: p.alt }));
  }

  /** Empties the tray after a send (the sent message shows the server's copies; the thumbnails go). */
  clear(): void {
    for (const p of this.photos) URL.revokeObjectURL(p.thumb);
    this.photos = [];
    this.notice = null;
    this.host.requestUpdate();
  }

  /** Cancels running uploads and frees the thumbnails (the chat left the page). */
  dispose(): void {
    for (const p of this.photos) p.abort.abort();
    this.clear();
  }

  /** The tray: thumbnails with progress, alt text and remove buttons, and the line saying what is wrong. */
  render(): TemplateResult | typeof nothing {
    if (this.photos.length === 0 && !this.notice) return nothing;
    const s = this.s;
    const f = this.options.format();
    const photos = this.photos.map((p) => this.renderPhoto(p, s, f));
    return html`<div class="tray" part="attachments">
      ${
        this.photos.length > 0
          ? html`<ul class="tray-list" aria-label=${s.trayLabel}>
            ${photos}
          </ul>`
          : nothing
      }
      ${
        this.notice
          ? html`<div class="tray-notice ${this.notice.waiting ? 'waiting' : ''}" part="attachments-notice" role=${this.notice.waiting ? 'status' : 'alert'}>
            ${this.notice.text}
          </div>`
          : nothing
      }
    </div>`;
  }

  private renderPhoto(p: PickedPhoto, s: PhotoStrings, f: Formats): TemplateResult {
    const percent = `${f.count(Math.round(p.progress * 100))}%`;
    return html`<li class="tray-item ${p.state}" part="attachment attachment-${p.state}">
      <img class="tray-thumb" src=${p.thumb} alt="" />
      ${
        p.state === 'uploading'
          ? html`<progress class="tray-progress" max="100" value=${Math.round(p.progress * 100)} aria-label=${s.uploading(percent)}></progress>`
          : nothing
      }
      ${
        p.state === 'failed'
          ? html`<span class="tray-error" role="alert">${p.error}</span>
            <button type="button" class="tray-retry" part="attachment-retry" @click=${() => this.retry(p.key)}>${s.retry}</button>`
          : nothing
      }
      <input
        class="tray-alt"
        part="attachment-alt"
        aria-label=${s.altLabel}
        placeholder=${s.altPlaceholder}
        maxlength=${LIMITS.altMaxChars}
        .value=${live(p.alt)}
        @input=${(e: Event) => (p.alt = (e.target as HTMLInputElement).value)}
      />
      <button type="button" class="tray-remove" part="attachment-remove" aria-label=${s.remove(p.alt || p.file.name)} @click=${() => this.remove(p.key)}>
        ${closeIcon}
      </button>
    </li>`;
  }

  private upload(file: File): PickedPhoto {
    const photo: PickedPhoto = {
      key: this.nextKey++,
      file,
      thumb: URL.createObjectURL(file),
      alt: defaultAlt(file.name),
      state: 'uploading',
      progress: 0,
      error: null,
      image: null,
      abort: new AbortController(),
      settled: Promise.resolve(),
    };
    this.start(photo);
    return photo;
  }

  private start(photo: PickedPhoto): void {
    photo.state = 'uploading';
    photo.progress = 0;
    photo.error = null;
    const session = this.options.session();
    const upload = session
      ? session.upload(photo.file, {
          signal: photo.abort.signal,
          onProgress: (loaded, total) => {
            photo.progress = total > 0 ? loaded / total : 0;
            this.host.requestUpdate();
          },
        })
      : Promise.reject(new ChatError('UNAVAILABLE', 'The chat is not connected yet.'));
    photo.settled = upload.then(
      (image) => {
        photo.image = image;
        photo.progress = 1;
        photo.state = 'done';
        this.host.requestUpdate();
      },
      (err: unknown) => {
        // A removed photo's upload was cancelled: nothing to show.
        if (!this.photos.includes(photo)) return;
        photo.state = 'failed';
        photo.error = toChatError(err).message;
        this.host.requestUpdate();
      },
    );
  }
}
