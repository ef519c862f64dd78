import { html, type TemplateResult } from 'lit';
import { ATTACHMENT_TYPES } from '@groupbuy/protocol';
import { clipIcon } from '../../internal/icons.js';
import type { LocaleController } from '../../internal/locale-controller.js';
import type { RoomController } from '../../internal/room-controller.js';
import type { PhotoTray } from './attach-tray.js';
import type { PartHost } from './part-host.js';

/**
 * The composer's photos (issue 12), as little as the first paint needs: the attach button with its file
 * input, and the paste and drop handlers. The tray (previews, uploads, alt text: attach-tray.ts) is a
 * chunk of its own, loaded on the first click, paste or drop; it cancels its uploads when the chat leaves the page.
 */
export class Attach {
  /** The tray (previews, uploads, alt text), once the first pick, paste or drop loaded it. */
  tray: PhotoTray | null = null;
  private loading: Promise<PhotoTray> | null = null;

  constructor(
    private readonly host: PartHost,
    private readonly room: RoomController,
    private readonly locale: LocaleController,
    /** True while the reader may write (so may attach). */
    private readonly writable: () => boolean,
  ) {}

  /** Adds files (picked, pasted or dropped): loads the tray first. */
  add(files: readonly File[]): void {
    if (files.length > 0 && this.writable()) void this.load().then((tray) => tray.add(files));
  }

  /** The attach button and its hidden file input. */
  button(disabled: boolean): TemplateResult {
    return html`<button type="button" class="send attach" part="attach-button" aria-label=${this.locale.t.attach} ?disabled=${disabled} @click=${this.pick}>
        ${clipIcon}</button
      ><input type="file" accept=${ATTACHMENT_TYPES.join()} multiple hidden @change=${this.picked} />`;
  }

  /**
   * Paste on the textarea and drop on the chat: clipboard or dropped images join the tray; a paste that
   * carries text as well (from a web page, a document) pastes the text as usual.
   */
  readonly onFiles = (e: ClipboardEvent | DragEvent): void => {
    const data = e instanceof DragEvent ? e.dataTransfer : e.clipboardData;
    if (!data?.files.length) return;
    if (!data.types.includes('text/plain')) e.preventDefault();
    this.add([...data.files]);
  };

  /** Dragging over the chat: allow the drop while the reader may write. */
  readonly onDragOver = (e: DragEvent): void => {
    if (this.writable()) e.preventDefault();
  };

  private load(): Promise<PhotoTray> {
    this.loading ??= import('./attach-tray.js').then(
      (m) => (this.tray = new m.PhotoTray(this.host, { session: () => this.room.session, format: () => this.locale.format })),
    );
    return this.loading;
  }

  // The picker opens at once, within the click (browsers open it only from a user gesture); the tray's
  // chunk loads meanwhile.
  private readonly pick = (e: Event): void => {
    void this.load();
    ((e.currentTarget as HTMLElement).nextElementSibling as HTMLInputElement).click();
  };

  private readonly picked = (e: Event): void => {
    const input = e.target as HTMLInputElement;
    this.add([...(input.files ?? [])]);
    // Picking the same file again must fire `change` again.
    input.value = '';
  };
}
