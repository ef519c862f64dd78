import type { PlatformEvents } from './types.js';

/**
 * Reconnect triggers of a browser page: `online`, the page becoming visible again and `pageshow` (back
 * from the bfcache) wake the client; `offline` tells it the network is gone. `window` and `document` are
 * touched only when `subscribe` runs and only when they exist, so importing the SDK is SSR-safe.
 */
export function browserPlatform(): PlatformEvents {
  return {
    subscribe(onWake, onOffline) {
      const win = typeof window === 'undefined' ? undefined : window;
      const doc = typeof document === 'undefined' ? undefined : document;
      if (!win) return () => {};
      const onVisibility = (): void => {
        if (doc?.visibilityState === 'visible') onWake();
      };
      win.addEventListener('online', onWake);
      win.addEventListener('offline', onOffline);
      win.addEventListener('pageshow', onWake);
      doc?.addEventListener('visibilitychange', onVisibility);
      return () => {
        win.removeEventListener('online', onWake);
        win.removeEventListener('offline', onOffline);
        win.removeEventListener('pageshow', onWake);
        doc?.removeEventListener('visibilitychange', onVisibility);
      };
    },
    isOnline() {
      // Node's navigator (21+) has no onLine at all: undefined counts as online, so this is not `!onLine`.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare
      return typeof navigator === 'undefined' || navigator.onLine !== false;
    },
  };
}
