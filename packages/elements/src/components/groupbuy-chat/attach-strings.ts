import type { Lang } from '../../internal/i18n.js';

// The words of the uploader and the lightbox. They live beside the lazily loaded chunks that show them,
// not in internal/i18n.ts, because every byte of i18n.ts is in the initial widget and none of these are
// needed before the shopper picks a photo or opens one. Only the attach button's label is in i18n.ts.

/** Every string of the photo tray and the lightbox, as functions of what they show. */
export interface PhotoStrings {
  /** The list of picked photos. */
  trayLabel: string;
  /** Remove button of one picked photo (`name`: its alt text or file name). */
  remove(name: string): string;
  /** Label of a picked photo's alt-text field. */
  altLabel: string;
  /** Placeholder of the alt-text field. */
  altPlaceholder: string;
  /** Upload progress of one photo, `percent` already formatted. */
  uploading(percent: string): string;
  /** A photo that finished uploading. */
  uploaded: string;
  /** A file that is not a JPEG, PNG or WebP image (`name`: the file's name). */
  notImage(name: string): string;
  /** A file over the size limit (`name`, `max`: the limit in MB, formatted). */
  tooBig(name: string, max: string): string;
  /** More photos than a message may carry (`max`). */
  tooMany(max: string): string;
  /** The send waits for uploads still running. */
  waiting: string;
  /** A photo's upload failed: the send waits until it is removed or retried. */
  fixFailed: string;
  /** Retry one failed upload. */
  retry: string;
  /** Shown while a file is dragged over the chat. */
  dropHere: string;
  /** The lightbox dialog's label. */
  viewer: string;
  /** "2 / 4" in the lightbox. */
  position(index: string, count: string): string;
  previous: string;
  next: string;
  close: string;
  /** A photo in a message, for screen readers when it has no alt text (`index` of `count`). */
  photo(index: string, count: string): string;
}

const ko: PhotoStrings = {
  trayLabel: '첨부할 사진',
  remove: (name) => `${name} 빼기`,
  altLabel: '사진 설명',
  altPlaceholder: '사진 설명 (대체 텍스트)',
  uploading: (percent) => `올리는 중 ${percent}`,
  uploaded: '올림',
  notImage: (name) => `${name}: JPEG, PNG, WebP 사진만 보낼 수 있어요.`,
  tooBig: (name, max) => `${name}: 사진은 ${max}MB까지 보낼 수 있어요.`,
  tooMany: (max) => `사진은 한 번에 ${max}장까지 보낼 수 있어요.`,
  waiting: '사진을 다 올리면 보낼게요…',
  fixFailed: '올리지 못한 사진을 빼거나 다시 올려 주세요.',
  retry: '다시 올리기',
  dropHere: '여기에 사진을 놓으세요',
  viewer: '사진 보기',
  position: (index, count) => `${index} / ${count}`,
  previous: '이전 사진',
  next: '다음 사진',
  close: '닫기',
  photo: (index, count) => `사진 ${index}/${count}`,
};

const en: PhotoStrings = {
  trayLabel: 'Photos to send',
  remove: (name) => `Remove ${name}`,
  altLabel: 'Photo description',
  altPlaceholder: 'Describe the photo (alt text)',
  uploading: (percent) => `Uploading ${percent}`,
  uploaded: 'Uploaded',
  notImage: (name) => `${name}: only JPEG, PNG and WebP photos can be sent.`,
  tooBig: (name, max) => `${name}: a photo can be at most ${max} MB.`,
  tooMany: (max) => `You can send at most ${max} photos at once.`,
  waiting: 'Sending once the photos are uploaded…',
  fixFailed: 'Remove or retry the photo that did not upload.',
  retry: 'Retry upload',
  dropHere: 'Drop photos here',
  viewer: 'Photo viewer',
  position: (index, count) => `${index} of ${count}`,
  previous: 'Previous photo',
  next: 'Next photo',
  close: 'Close',
  photo: (index, count) => `Photo ${index} of ${count}`,
};

/** The photo strings of `lang` (`Formats.lang`). */
export function photoStrings(lang: Lang): PhotoStrings {
  return lang === 'ko' ? ko : en;
}
