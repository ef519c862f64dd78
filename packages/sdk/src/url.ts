/** `base` + `path` with exactly one slash between them (keeps a base path such as `https://shop/chat`). */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}

/** The WebSocket URL of `path` on an http(s) base URL (`http:` → `ws:`, `https:` → `wss:`). */
export function webSocketUrl(base: string, path: string): string {
  return joinUrl(base, path).replace(/^http(s?):/i, 'ws$1:');
}

/** `url` with these query parameters appended (undefined values are left out). */
export function withQuery(url: string, params: Record<string, string | number | undefined>): string {
  const query = Object.entries(params)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  if (!query) return url;
  return url + (url.includes('?') ? '&' : '?') + query;
}
