import { ChatError, DESTINATIONS, LIMITS, errorCodeForStatus } from '@groupbuy/protocol';
import { absoluteAttachment, type UploadOptions, type UploadedImage } from './attachments.js';
import type { RestOptions } from './rest.js';
import { joinUrl } from './url.js';

// The upload itself, loaded by `room.upload()` on its first call: a chat that never sends a photo does not
// download it.

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
