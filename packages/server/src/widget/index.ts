import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { Context, Handler } from 'hono';
import { ChatError } from '@groupbuy/protocol';

/** Where the widget is served: `GET /elements/groupbuy-chat.bundle.js` and the files it loads. */
export const WIDGET_PREFIX = '/elements/';

/** The widget's stable entry file name, which a shop page's `<script type="module" src>` names. */
export const WIDGET_ENTRY = 'groupbuy-chat.bundle.js';

/** True when `dir` holds a built widget (its entry file). */
export function isWidgetDir(dir: string): boolean {
  return existsSync(join(dir, WIDGET_ENTRY));
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The precompressed siblings the elements build writes, best first (brotli is smaller than gzip). */
const ENCODINGS = [
  { name: 'br', suffix: '.br', tag: 'br' },
  { name: 'gzip', suffix: '.gz', tag: 'gz' },
] as const;

/** Reads `Accept-Encoding` (RFC 9110 §12.5.3) into the codings it accepts, with `q=0` meaning "not this one". */
function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  const refused = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    (q !== undefined && Number(q.slice(2)) === 0 ? refused : accepted).add(name);
  }
  if (accepted.has('*')) for (const e of ENCODINGS) if (!refused.has(e.name)) accepted.add(e.name);
  for (const r of refused) accepted.delete(r);
  return accepted;
}

/** True when an `If-None-Match` list names `etag` (weak comparison, RFC 9110 §13.1.2). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * Turns the URL path below the prefix into path segments, refusing anything that could leave the folder:
 * `..` and `.` (also percent-encoded, which URL parsing does not undo when it is `..%2f`), empty
 * segments, backslashes and NUL.
 */
function safeSegments(rest: string): string[] {
  const segments = rest.split('/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return '\0';
    }
  });
  if (segments.some((s) => s === '' || s === '.' || s === '..' || /[/\\\0]/.test(s))) {
    throw new ChatError('INVALID_INPUT', 'That is not a widget file path.');
  }
  return segments;
}

interface Digest {
  mtimeMs: number;
  size: number;
  hash: string;
}

/**
 * The handler for `GET /elements/*`: the built widget from `dir` with what a module script loaded by a
 * shop page on another origin needs. Files under `chunks/` carry their content hash in the name and are
 * cached for a year; every other file (the stable entry, its map) is revalidated with its ETag.
 * Compressed bodies come from the `.br` / `.gz` files the build wrote beside each file.
 */
export function widgetHandler(dir: string): Handler {
  if (!isWidgetDir(dir)) throw new Error(`The widget folder "${dir}" has no ${WIDGET_ENTRY}: build it (pnpm build) or set WIDGET_DIR.`);
  // A symlinked folder (a deploy's `current` link) is fine; files must still resolve inside it.
  const root = realpathSync(dir);
  const digests = new Map<string, Digest>();

  // The ETag is the identity file's content hash, so it survives copies and rebuilds that change nothing.
  async function digest(path: string, mtimeMs: number, size: number): Promise<string> {
    const known = digests.get(path);
    if (known && known.mtimeMs === mtimeMs && known.size === size) return known.hash;
    const hash = createHash('sha256')
      .update(await readFile(path))
      .digest('base64url')
      .slice(0, 27);
    digests.set(path, { mtimeMs, size, hash });
    return hash;
  }

  return async (c: Context) => {
    const pathname = new URL(c.req.url).pathname;
    const rest = pathname.slice(pathname.indexOf(WIDGET_PREFIX) + WIDGET_PREFIX.length);
    if (rest === '') throw new ChatError('NOT_FOUND', `The widget is at ${WIDGET_PREFIX}${WIDGET_ENTRY}.`);
    const segments = safeSegments(rest);
    const name = segments.join('/');
    const contentType = CONTENT_TYPES[extname(name)];
    const notFound = new ChatError('NOT_FOUND', `The widget has no file ${name}.`);
    if (!contentType) throw notFound;
    const path = join(root, ...segments);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw notFound;
    const real = await realpath(path);
    if (!real.startsWith(root + sep)) throw notFound;

    const hash = await digest(real, info.mtimeMs, info.size);
    const accepted = acceptedEncodings(c.req.header('accept-encoding'));
    let encoding: (typeof ENCODINGS)[number] | undefined;
    for (const e of ENCODINGS) {
      if (accepted.has(e.name) && (await stat(real + e.suffix).catch(() => null))?.isFile()) {
        encoding = e;
        break;
      }
    }
    // Each representation gets its own strong ETag: the gzip bytes are not the brotli bytes.
    const etag = `"${hash}${encoding ? `-${encoding.tag}` : ''}"`;
    const headers: Record<string, string> = {
      ETag: etag,
      'Cache-Control': segments[0] === 'chunks' ? 'public, max-age=31536000, immutable' : 'no-cache',
      // The body depends on Accept-Encoding; caches must keep the variants apart.
      Vary: 'Accept-Encoding',
      // The widget is public code that any shop page may load: `*` lets a <script type="module"> (always
      // a CORS request) from any origin run it, and carries no credentials. Which origins may *talk* to
      // the chat is ALLOWED_ORIGINS' job on the API and the sockets, not this file's.
      'Access-Control-Allow-Origin': '*',
    };
    if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
    const body = await readFile(encoding ? real + encoding.suffix : real);
    headers['Content-Type'] = contentType;
    headers['Content-Length'] = String(body.length);
    if (encoding) headers['Content-Encoding'] = encoding.name;
    return c.body(body, 200, headers);
  };
}
