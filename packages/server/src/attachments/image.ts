import sharp from 'sharp';
import { ChatError } from '@groupbuy/protocol';

/** An image type an upload may be. */
export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp';

/** What processing an upload produced: the re-encoded full image (no EXIF) and its preview. */
export interface ProcessedImage {
  /** The type recognised from the bytes. */
  mime: ImageMime;
  /** Width after EXIF orientation. */
  width: number;
  /** Height after EXIF orientation. */
  height: number;
  /** The full image, re-encoded without metadata. */
  full: Buffer;
  /** At most {@link PREVIEW_PX} px on its longer side, same type. */
  preview: Buffer;
}

/** The longer side of a preview, in px. */
export const PREVIEW_PX = 512;

// Decompression bombs: a 10 MB PNG can claim 100k × 100k pixels. 50 megapixels covers any phone photo.
const MAX_INPUT_PIXELS = 50_000_000;

/** The image type of `bytes` by their magic numbers (never by a file name or a declared type), or null. */
export function sniffImage(bytes: Uint8Array): ImageMime | null {
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length >= 8 && png.every((v, i) => b[i] === v)) return 'image/png';
  const ascii = (from: number, to: number): string => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

const FORMAT: Record<ImageMime, 'jpeg' | 'png' | 'webp'> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' };

function unreadable(): ChatError {
  return new ChatError('INVALID_INPUT', 'The image could not be read; it may be damaged. Try another JPEG, PNG or WebP file.');
}

/**
 * Checks and re-encodes an upload: its bytes must be a JPEG, PNG or WebP that sharp decodes as the same
 * type; it is turned upright by its EXIF orientation and re-encoded, which drops EXIF (GPS included), XMP
 * and ICC comments — sharp writes no metadata unless asked. Throws ChatError INVALID_INPUT.
 */
export async function processImage(bytes: Buffer): Promise<ProcessedImage> {
  const mime = sniffImage(bytes);
  if (!mime) throw new ChatError('INVALID_INPUT', 'Only JPEG, PNG or WebP images can be attached.');
  const format = FORMAT[mime];
  const open = (): sharp.Sharp => sharp(bytes, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS, animated: false });
  try {
    const meta = await open().metadata();
    if (meta.format !== format) throw unreadable();
    const full = await open().rotate().toFormat(format).toBuffer({ resolveWithObject: true });
    const preview = await open()
      .rotate()
      .resize(PREVIEW_PX, PREVIEW_PX, { fit: 'inside', withoutEnlargement: true })
      .toFormat(format)
      .toBuffer();
    return { mime, width: full.info.width, height: full.info.height, full: full.data, preview };
  } catch (err) {
    if (err instanceof ChatError) throw err;
    throw unreadable();
  }
}
