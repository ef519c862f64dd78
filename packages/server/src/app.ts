import type { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { WIDGET_PREFIX, widgetHandler } from './widget/index.js';

/** A folder served as static files under a URL prefix (the example shop page, the widget bundle). */
export interface StaticMount {
  /** URL prefix, e.g. `/` or `/elements/`. */
  prefix: string;
  /** Absolute folder path. */
  root: string;
}

/** What the HTTP app is built from: the API app (assembleCore's `api`) plus the folders it serves. */
export interface AppDeps {
  /** The REST/SSE routes, already wired to the core. */
  api: Hono;
  /** Static folders. */
  staticMounts: StaticMount[];
  /** The built widget's folder, served under `/elements/` (widget/index.ts); no such route when unset. */
  widgetDir?: string;
}

/** Builds the Hono app: the API (api.ts), the widget and static files. Realtime upgrades are wired in server.ts. */
export function createApp(deps: AppDeps): Hono {
  const app = deps.api;
  if (deps.widgetDir) app.get(`${WIDGET_PREFIX}*`, widgetHandler(deps.widgetDir));

  for (const mount of deps.staticMounts) {
    const prefix = mount.prefix.endsWith('/') ? mount.prefix : `${mount.prefix}/`;
    app.use(
      `${prefix}*`,
      serveStatic({
        root: mount.root,
        rewriteRequestPath: (p) => p.slice(prefix.length - 1),
      }),
    );
  }
  return app;
}
