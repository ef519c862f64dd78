import { html, nothing, svg, type ReactiveController, type TemplateResult } from 'lit';
import { ATTACHMENT_TYPES } from '@groupbuy/protocol';
import type { AttachmentInput } from '@groupbuy/sdk';
import type { LocaleController } from '../../internal/locale-controller.js';
import type { RoomController } from '../../internal/room-controller.js';
import type { PhotoTray } from './attach-tray.js';
import type { PartHost } from './part-host.js';

/** Paper clip (attach photos). */
const clipIcon = svg`<svg class="icon" viewBox="0 0 20 20" width="20" height="20" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" aria-hidden="true" focusable="false"><path d="m16 9.5-6 6a3.9 3.9 0 0 1-5.5-5.5l6.3-6.3a2.6 2.6 0 0 1 3.7 3.7l-6.2 6.2a1.3 1.3 0 0 1-1.8-1.8l5.6-5.6"/></svg>`;

/**
 * The composer's photos (issue 12), as little as the first paint needs: the attach button with its file
 * input, and the paste and drop handlers. The tray (previews, uploads, alt text: attach-tray.ts) is a
 * chunk of its own, loaded on the first click, paste or drop.
 */
export class Attach implements ReactiveController {
  private tray: PhotoTray | null = null;
  private loading: Promise<PhotoTray> | null = null;

  constructor(
    private readonly host: PartHost,
    private readonly room: RoomController,
    private readonly locale: LocaleController,
    /** True while the reader may write (so may attach). */
    private readonly writable: () => boolean,
  ) {
    host.addController(this);
  }

  /** Cancels running uploads and frees the previews. */
  hostDisconnected(): void {
    this.tray?.dispose();
  }

  /** How many photos the next message carries. */
  get count(): number {
    return this.tray?.count ?? 0;
  }

  /** Waits for the uploads and answers what to attach ([] without photos), or null when the send must wait. */
  collect(): Promise<AttachmentInput[] | null> {
    return this.tray ? this.tray.collect() : Promise.resolve([]);
  }

  /** Empties the tray after a send. */
  clear(): void {
    this.tray?.clear();
  }

  /** Adds files (picked, pasted or dropped): loads the tray first. */
  add(files: readonly File[]): void {
    if (files.length > 0 && this.writable()) void this.load().then((tray) => tray.add(files));
  }

  /** The attach button and its hidden file input. */
  button(disabled: boolean): TemplateResult {
    return html`<button type="button" class="attach" part="attach-button" aria-label=${this.locale.t.attach} ?disabled=${disabled} @click=${this.pick}>
        ${clipIcon}</button
      ><input type="file" accept=${ATTACHMENT_TYPES.join()} multiple hidden @change=${this.picked} />`;
  }

  /** The tray above the composer, once loaded. */
  renderTray(): unknown {
    return this.tray?.render() ?? nothing;
  }

  /** Paste on the textarea: clipboard images join the tray; text pastes as usual. */
  readonly onPaste = (e: ClipboardEvent): void => {
    const data = e.clipboardData;
    const files = [...(data?.files ?? [])];
    if (files.length === 0) return;
    if (!data?.types.includes('text/plain')) e.preventDefault();
    this.add(files);
  };

  /** Dragging files over the chat: allow the drop. */
  readonly onDragOver = (e: DragEvent): void => {
    if (!e.dataTransfer?.types.includes('Files') || !this.writable()) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  };

  /** Files dropped on the chat join the tray. */
  readonly onDrop = (e: DragEvent): void => {
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    e.preventDefault();
    this.add(files);
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
