import type { CSSResult } from 'lit';

const adopted = new WeakMap<Node, Set<CSSResult>>();

/**
 * Adds `styles` to the shadow root `root` (once per root and stylesheet): what a lazily loaded part of the
 * chat (the photo tray, the lightbox) brings along, since the element's own stylesheets are fixed when it is
 * defined and would otherwise carry these bytes in the initial widget.
 */
export function adoptLazyStyles(root: Node, styles: CSSResult): void {
  if (!(root instanceof ShadowRoot)) return;
  const done = adopted.get(root) ?? new Set<CSSResult>();
  if (done.has(styles)) return;
  done.add(styles);
  adopted.set(root, done);
  const sheet = styles.styleSheet;
  if (sheet) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  else root.append(Object.assign(document.createElement('style'), { textContent: styles.cssText }));
}
