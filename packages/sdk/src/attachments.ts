import { ChatError, DESTINATIONS, LIMITS, errorCodeForStatus, type Attachment } from '@groupbuy/protocol';
import type { RestOptions } from './rest.js';
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

function fail(status: number, text: string): ChatError {
  try {
    const info = (JSON.parse(text) as { error?: unknown }).error;
    if (info !== undefined) return ChatError.fromInfo(info);
  } catch {
    // not JSON
  }
  return new ChatError(errorCodeForStatus(status), `The chat server answered ${status}.`);
}

// XMLHttpRequest reports upload progress; fetch cannot (request streams have no progress events).
function viaXhr(url: string, token: string | undefined, form: FormData, options: UploadOptions): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    if (token !== undefined) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      options.onProgress?.(e.loaded, e.total);
    };
    xhr.onload = () => {
      resolve({ status: xhr.status, text: xhr.responseText });
    };
    xhr.onerror = () => {
      reject(new ChatError('UNAVAILABLE', 'The chat server cannot be reached.'));
    };
    xhr.onabort = () => {
      reject(new ChatError('INVALID_INPUT', 'The upload was cancelled.'));
    };
    options.signal?.addEventListener('abort', () => {
      xhr.abort();
    });
    xhr.send(form);
  });
}

/**
 * `POST /api/chat/rooms/{productId}/attachments` with the file as multipart `file`. Refuses a file over
 * `LIMITS.attachmentMaxBytes` before sending it (the server may be set lower; it answers PAYLOAD_TOO_LARGE).
 */
export async function uploadImage(rest: RestOptions, productId: string, file: Blob, options: UploadOptions = {}): Promise<UploadedImage> {
  if (file.size > LIMITS.attachmentMaxBytes) {
    throw new ChatError('PAYLOAD_TOO_LARGE', `An image can be at most ${String(LIMITS.attachmentMaxBytes / (1024 * 1024))} MB.`);
  }
  const url = joinUrl(rest.baseUrl, `${DESTINATIONS.apiBase}/rooms/${encodeURIComponent(productId)}/attachments`);
  const form = new FormData();
  form.append('file', file, file instanceof File ? file.name : 'image');
  const token = await rest.token(false);
  let answer: { status: number; text: string };
  if (options.onProgress && typeof XMLHttpRequest !== 'undefined') {
    answer = await viaXhr(url, token, form, options);
  } else {
    let res: Response;
    try {
      res = await rest.fetch(url, {
        method: 'POST',
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
        body: form,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (cause) {
      throw new ChatError('UNAVAILABLE', 'The chat server cannot be reached.', { cause });
    }
    answer = { status: res.status, text: await res.text().catch(() => '') };
  }
  if (answer.status < 200 || answer.status >= 300) throw fail(answer.status, answer.text);
  return absoluteAttachment(rest.baseUrl, JSON.parse(answer.text) as UploadedImage);
}
