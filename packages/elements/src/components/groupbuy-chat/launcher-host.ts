import { nothing, type TemplateResult } from 'lit';
import type { Launcher, LauncherOptions } from './launcher.js';

/**
 * The part of the chat's launcher mode (issue 12) in the initial download: in panel mode it renders the
 * chat as it is; the first render with `mode="launcher"` fetches the launcher's chunk (button, ring,
 * badge, panel, focus trap and their styles) and renders nothing until it is there, so a page with the
 * chat in panel mode never downloads it, and a closed launcher paints without the chat's parts.
 */
export class LauncherLoader {
  private launcher: Launcher | null = null;
  private loading = false;

  constructor(private readonly options: LauncherOptions) {}

  /** The chat (`chat()`) in panel mode; in launcher mode the launcher, with the chat inside while open. */
  render(chat: () => TemplateResult): unknown {
    const { host } = this.options;
    if (host.mode !== 'launcher') return chat();
    if (this.launcher) return this.launcher.render(chat);
    if (!this.loading) {
      this.loading = true;
      import('./launcher.js').then(
        (m) => {
          this.launcher = new m.Launcher(this.options);
          host.requestUpdate();
        },
        // A chunk that failed to download (offline, a deploy removed it) is asked for again on the next render.
        () => (this.loading = false),
      );
    }
    return nothing;
  }
}
