import { html, LitElement, type TemplateResult } from 'lit';
import { property, query } from 'lit/decorators.js';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { ChatError, type Attachment } from '@groupbuy/protocol';
import type { UploadOptions, UploadedImage, ViewMessage } from '@groupbuy/sdk';
import { formatsFor, loadStrings, stringsFor } from '../../internal/i18n.js';
import { PEOPLE } from '../../test-support/story-kit.js';
import { PhotoTray } from './attach-tray.js';
import { styles } from './groupbuy-chat.styles.js';
import { renderMessage, type RowContext } from './message-row.js';

// Product photos (issue 12). The in-process server the other stories run on has no image store (uploads
// need the Node server's sharp), so these stories render the chat's own photo parts — the composer's tray
// and a message row's grid, with the chat's stylesheets — on a small stage, with images drawn here as SVG.
// The Chromium test (attach.network.test.ts) runs the same parts against the real server.

/** An SVG "photo" of a tangerine box in `hue`, as a data URL. */
export function samplePhoto(hue: number, label: string, w = 640, h = 480): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${String(w)}" height="${String(h)}" viewBox="0 0 ${String(w)} ${String(h)}">
    <rect width="100%" height="100%" fill="hsl(${String(hue)} 70% 88%)"/>
    <circle cx="${String(w / 2)}" cy="${String(h / 2)}" r="${String(Math.min(w, h) / 4)}" fill="hsl(${String(hue)} 85% 55%)"/>
    <text x="50%" y="90%" font-family="sans-serif" font-size="${String(h / 12)}" text-anchor="middle" fill="#333">${label}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** `n` sample attachments, as a stored message carries them. */
export function samplePhotos(n: number): Attachment[] {
  const alts = ['감귤 한 상자', 'The box, opened', '크기 비교', 'Leaves still on'];
  return alts.slice(0, n).map((alt, i) => {
    const url = samplePhoto(30 + i * 25, alt);
    return { id: `00000000-0000-4000-8000-00000000000${String(i)}`, width: 640, height: 480, previewUrl: url, url, alt };
  });
}

/** A stored CHAT message of Minji's with `n` photos. */
export function photoMessage(n: number, content = '오늘 받은 감귤이에요! Just arrived 🍊'): ViewMessage {
  return {
    id: `photo-${String(n)}`,
    roomId: 'jeju-tangerine-5kg',
    seq: 10 + n,
    type: 'CHAT',
    sender: PEOPLE.minji,
    content,
    createdAt: new Date().toISOString(),
    attachments: samplePhotos(n),
    status: 'sent',
  };
}

/** The rows' context for a story (strings and formats of `lang`, nobody's own messages). */
export function storyRowContext(lang: 'ko' | 'en'): RowContext {
  return {
    t: stringsFor(lang),
    f: formatsFor(lang),
    hostId: PEOPLE.seller.userId,
    isOwn: () => false,
    retry: () => undefined,
    discard: () => undefined,
    baseUrl: location.origin,
  };
}

/** How a story's upload behaves: stays at 40 %, finishes, or is refused the way the server refuses an HTML file named .png. */
type UploadScript = 'uploading' | 'done' | 'error';

function scriptedUpload(script: UploadScript): (file: Blob, options?: UploadOptions) => Promise<UploadedImage> {
  return (file, options) => {
    options?.onProgress?.(file.size * 0.4, file.size);
    if (script === 'uploading') return new Promise<UploadedImage>(() => undefined);
    if (script === 'error') return Promise.reject(new ChatError('INVALID_INPUT', 'Only JPEG, PNG or WebP images can be attached.'));
    const url = samplePhoto(30, 'done');
    return Promise.resolve({ id: '00000000-0000-4000-8000-000000000009', width: 640, height: 480, previewUrl: url, url });
  };
}

async function pngFile(name: string, hue: number): Promise<File> {
  const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 240 });
  const g = canvas.getContext('2d');
  if (g) {
    g.fillStyle = `hsl(${String(hue)} 80% 60%)`;
    g.fillRect(0, 0, 320, 240);
  }
  const blob = await new Promise<Blob | null>((resolve) => {
    canvas.toBlob(resolve, 'image/png');
  });
  return new File([blob ?? new Blob()], name, { type: 'image/png' });
}

/** A stage with the chat's stylesheets: a message row with photos, or the composer's photo tray. */
class PhotoStage extends LitElement {
  static override styles = styles;
  @property() language: 'ko' | 'en' = 'ko';
  /** Photos in the message (message stories), 0 for the tray stories. */
  @property({ type: Number }) photos = 0;
  /** How the tray's uploads go (tray stories). */
  @property() upload: UploadScript = 'uploading';
  /** Opens the lightbox on the message's first photo once shown (the lightbox story). */
  @property({ type: Boolean }) opened = false;
  private tray: PhotoTray | null = null;
  @query('[part~="image"]') private firstPhoto!: HTMLElement | null;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.photos > 0) return;
    const tray = new PhotoTray(this, { session: () => ({ upload: scriptedUpload(this.upload) }), format: () => formatsFor(this.language) });
    this.tray = tray;
    void Promise.all([pngFile('jeju-tangerines.png', 30), pngFile('box-size.png', 45)]).then((files) => {
      tray.add(files);
    });
  }

  // As the chat does: the Korean strings are a chunk, and a render waits for them.
  protected override scheduleUpdate(): ReturnType<LitElement['scheduleUpdate']> {
    const loading = loadStrings(this.language);
    return loading ? loading.then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }

  protected override firstUpdated(): void {
    if (this.opened) this.firstPhoto?.click();
  }

  override render(): TemplateResult {
    return html`<div class="frame" style="height:auto;max-width:420px">
      ${this.photos > 0 ? html`<div class="log">${renderMessage(storyRowContext(this.language), photoMessage(this.photos), undefined)}</div>` : this.tray?.render()}
    </div>`;
  }
}
if (!customElements.get('photo-story-stage')) customElements.define('photo-story-stage', PhotoStage);

interface PhotoArgs {
  lang: 'ko' | 'en';
}

const meta: Meta<PhotoArgs> = {
  title: 'Elements/groupbuy-chat/Photos',
  argTypes: { lang: { control: 'inline-radio', options: ['ko', 'en'] } },
  args: { lang: 'ko' },
};
export default meta;

/** Two photos picked, both still going up (progress bars, editable alt text, remove buttons). */
export const ComposerUploading: StoryObj<PhotoArgs> = {
  render: (args) => html`<photo-story-stage .language=${args.lang} .upload=${'uploading'}></photo-story-stage>`,
};

/** Two photos uploaded, ready to send. */
export const ComposerUploaded: StoryObj<PhotoArgs> = {
  render: (args) => html`<photo-story-stage .language=${args.lang} .upload=${'done'}></photo-story-stage>`,
};

/** Two photos the server refused (an HTML file named .png): its message and a retry on each. */
export const ComposerUploadFailed: StoryObj<PhotoArgs> = {
  render: (args) => html`<photo-story-stage .language=${args.lang} .upload=${'error'}></photo-story-stage>`,
};

/** A message with one photo. */
export const MessageOnePhoto: StoryObj<PhotoArgs> = {
  render: (args) => html`<photo-story-stage .language=${args.lang} .photos=${1}></photo-story-stage>`,
};

/** A message with two photos. */
export const MessageTwoPhotos: StoryObj<PhotoArgs> = {
  render: (args) => html`<photo-story-stage .language=${args.lang} .photos=${2}></photo-story-stage>`,
};

/** A message with four photos (the most one message carries). */
export const MessageFourPhotos: StoryObj<PhotoArgs> = {
  render: (args) => html`<photo-story-stage .language=${args.lang} .photos=${4}></photo-story-stage>`,
};

/** The lightbox open on the first of four photos: caption, position, previous/next and close. */
export const LightboxOpen: StoryObj<PhotoArgs> = {
  render: (args) => html`<photo-story-stage .language=${args.lang} .photos=${4} .opened=${true}></photo-story-stage>`,
};
