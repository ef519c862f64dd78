/** What Tab can reach, unless disabled or taken out of the order with `tabindex="-1"`. */
const TABBABLE = 'button,textarea,input,select,a[href],[tabindex]';

function isTabbable(el: Element): el is HTMLElement {
  if (!(el instanceof HTMLElement) || !el.matches(TABBABLE) || el.tabIndex < 0) return false;
  if ((el as HTMLButtonElement).disabled) return false;
  // Hidden (display: none, or inside it) has no boxes; visibility: hidden is not focusable either.
  return el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
}

/**
 * The elements Tab visits inside `root`, in document order, looking through slots (a page's slotted
 * sign-in button) and into open shadow roots (`<participant-list>`). Elements with a positive tabindex
 * are taken in place: the widgets use none.
 */
export function tabbables(root: Element | ShadowRoot): HTMLElement[] {
  const found: HTMLElement[] = [];
  const visit = (node: Element | ShadowRoot): void => {
    const children = node instanceof HTMLSlotElement ? node.assignedElements({ flatten: true }) : [...node.children];
    for (const child of children) {
      if (isTabbable(child)) found.push(child);
      if (child.shadowRoot) visit(child.shadowRoot);
      else visit(child);
    }
  };
  visit(root);
  return found;
}

/**
 * Keeps Tab and Shift+Tab inside `container` (a modal panel): from its last tabbable element Tab goes to
 * the first, from the first Shift+Tab to the last, and from anywhere outside them into the panel. Call it
 * from the container's `keydown` listener; it ignores every other key.
 */
export function trapTab(event: KeyboardEvent, container: HTMLElement): void {
  if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) return;
  const items = tabbables(container);
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) {
    event.preventDefault();
    return;
  }
  // The innermost element of the event's path that is one of ours (focus may sit inside a shadow root).
  const current = event.composedPath().find((node) => items.includes(node as HTMLElement));
  const edge = event.shiftKey ? first : last;
  if (current === undefined || current === edge) {
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  }
}
