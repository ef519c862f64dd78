import { LIMITS, type Attachment } from '@groupbuy/protocol';
import { joinUrl } from './url.js';

/** What `room.upload()` resolves with: the stored image, ready to attach to a send. */
export interface UploadedImage {
  /** The upload id. */
  id: string;
  /** Pixel width (EXIF orientation applied). */
  width: number;
  /** Pixel height. */
  height: number;
  /** The 512-px preview, an absolute signed URL. */
  previewUrl: string;
  /** The full image, an absolute signed URL. */
  url: string;
}

/** Options of `room.upload()`. */
export interface UploadOptions {
  /** Called with bytes sent so far and the total while the file goes up (XMLHttpRequest only). */
  onProgress?: (loaded: number, total: number) => void;
  /** Aborts the upload. */
  signal?: AbortSignal;
}

/** An image to attach to `send(text, { attachments })`: an upload and its alt text (the widget defaults it to the file name). */
export interface AttachmentInput extends UploadedImage {
  /** Alt text, 0–200 characters. */
  alt: string;
}

/** The server's image URLs are paths on the chat server: made absolute against its base URL so an `<img>` on the shop page finds them. */
export function absoluteAttachment<T extends { previewUrl: string; url: string }>(baseUrl: string, a: T): T {
  const abs = (u: string): string => (/^https?:\/\//.test(u) ? u : joinUrl(baseUrl, u));
  return { ...a, previewUrl: abs(a.previewUrl), url: abs(a.url) };
}

/** The wire form of an attachment picked for a send. */
export function toAttachment(a: AttachmentInput): Attachment {
  return {
    id: a.id,
    width: a.width,
    height: a.height,
    previewUrl: a.previewUrl,
    url: a.url,
    alt: a.alt.trim().slice(0, LIMITS.altMaxChars),
  };
}
