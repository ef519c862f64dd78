// Product photos (issue 12) end to end: two <groupbuy-chat> elements on the reference Node server that
// web-test-runner.config.mjs starts (uploads need it: sharp reads, strips and resizes the images), real
// PNGs drawn on a <canvas>, real uploads with progress, the other shopper's widget and its lightbox.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../define/groupbuy-chat.js';
import type { GroupbuyChat } from './groupbuy-chat.js';
import { referenceServer } from '../../test-support/server.js';

let server: Awaited<ReturnType<typeof referenceServer>>;
let rooms = 0;

before(async () => {
  server = await referenceServer('photos');
});

const sign = (userId: string, name: string): Promise<string> => server.devToken(userId, { name });

/** A fresh open deal and two shoppers' chats on it, fully loaded. */
async function twoChats(): Promise<[GroupbuyChat, GroupbuyChat]> {
  const { productId } = await server.createRoom({ title: 'Photo deal' });
  rooms += 1;
  const chats: GroupbuyChat[] = [];
  for (const [id, name] of [
    ['p-ana', 'Ana'],
    ['p-ben', 'Ben'],
  ] as const) {
    const token = await sign(`${id}-${String(rooms)}`, name);
    const el = await fixture<GroupbuyChat>(
      html`<groupbuy-chat product-id=${productId} base-url=${server.url} transport="stomp" token=${token} lang="en"></groupbuy-chat>`,
    );
    await waitUntil(() => q(el, '.log[aria-busy="false"]') && !q(el, 'textarea')?.hasAttribute('disabled'), `${name}'s chat did not load`, {
      timeout: 8000,
    });
    chats.push(el);
  }
  return chats as [GroupbuyChat, GroupbuyChat];
}

function q(el: GroupbuyChat, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selector);
}

function all<T extends Element = HTMLElement>(el: GroupbuyChat, selector: string): T[] {
  return [...el.shadowRoot!.querySelectorAll<T>(selector)];
}

/** A real PNG of `w`×`h` drawn on a canvas, as a picked file. */
async function png(name: string, w = 64, h = 48, color = '#f08c00'): Promise<File> {
  const canvas = Object.assign(document.createElement('canvas'), { width: w, height: h });
  const g = canvas.getContext('2d')!;
  g.fillStyle = color;
  g.fillRect(0, 0, w, h);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
  return new File([blob], name, { type: 'image/png' });
}

function pick(el: GroupbuyChat, files: File[]): void {
  const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!;
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

async function typeAndSend(el: GroupbuyChat, value: string): Promise<void> {
  const input = el.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea')!;
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true }));
  await el.updateComplete;
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
}

function uploadsSoFar(): number {
  return performance.getEntriesByType('resource').filter((e) => /\/attachments$/.test(e.name)).length;
}

function lightbox(el: GroupbuyChat): HTMLDialogElement | null {
  return el.shadowRoot!.querySelector<HTMLDialogElement>('dialog[part~="lightbox"]');
}

function key(target: Element, k: string): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, composed: true, cancelable: true }));
}

describe('<groupbuy-chat> product photos with the reference server', () => {
  it('uploads a picked photo with progress, sends it, and the other shopper opens it in the lightbox', async () => {
    const [ana, ben] = await twoChats();
    const attach = q(ana, '[part~="attach-button"]')!;
    expect(attach.getAttribute('aria-label')).to.equal('Attach photos');
    let sawProgress = false;
    const watch = new MutationObserver(() => {
      if (q(ana, '[part~="attachment-uploading"] progress')) sawProgress = true;
    });
    watch.observe(ana.shadowRoot!, { subtree: true, childList: true, attributes: true });
    pick(ana, [await png('jeju-tangerines.png', 640, 480)]);
    await waitUntil(() => q(ana, '[part~="attachment"]'), 'no preview', { timeout: 5000 });
    const thumb = ana.shadowRoot!.querySelector<HTMLImageElement>('.tray-thumb')!;
    expect(thumb.src).to.match(/^blob:/);
    const alt = ana.shadowRoot!.querySelector<HTMLInputElement>('[part~="attachment-alt"]')!;
    expect(alt.value).to.equal('jeju-tangerines');
    await waitUntil(() => q(ana, '[part~="attachment-done"]'), 'the upload did not finish', { timeout: 8000 });
    watch.disconnect();
    expect(sawProgress).to.equal(true);
    alt.value = 'A box of tangerines';
    alt.dispatchEvent(new InputEvent('input', { bubbles: true }));
    await typeAndSend(ana, 'Fresh today');

    await waitUntil(() => q(ben, '[part~="images"] img'), 'Ben did not get the photo', { timeout: 8000 });
    await waitUntil(() => !q(ana, '[part~="attachments"]'), 'the tray did not empty after the send');
    const img = ben.shadowRoot!.querySelector<HTMLImageElement>('[part~="images"] img')!;
    expect(img.alt).to.equal('A box of tangerines');
    expect([img.getAttribute('width'), img.getAttribute('height')]).to.deep.equal(['640', '480']);
    expect(img.getAttribute('loading')).to.equal('lazy');
    expect(img.src.startsWith(`${server.url}/`)).to.equal(true);
    await waitUntil(() => img.complete && img.naturalWidth > 0, 'the preview did not load from the server', { timeout: 8000 });
    expect(img.naturalWidth).to.equal(512);
    expect(all(ben, '.row.chat .bubble').map((b) => b.textContent)).to.satisfy((t: string[]) => t.some((s) => s.includes('Fresh today')));

    const button = q(ben, '[part~="image"]')!;
    button.focus();
    button.click();
    await waitUntil(() => lightbox(ben)?.open, 'the lightbox did not open', { timeout: 5000 });
    const dialog = lightbox(ben)!;
    expect(dialog.matches(':modal')).to.equal(true);
    const full = dialog.querySelector<HTMLImageElement>('[part~="lightbox-image"]')!;
    expect(full.src).to.contain('/full?');
    expect(dialog.querySelector('[part~="lightbox-caption"]')!.textContent.trim()).to.equal('A box of tangerines');
    expect(ben.shadowRoot!.activeElement).to.equal(dialog.querySelector('[part~="lightbox-close"]'));
    await waitUntil(() => full.complete && full.naturalWidth === 640, 'the full image did not load', { timeout: 8000 });
    // Escape closes it, and focus goes back to the photo.
    key(dialog.querySelector('[part~="lightbox-close"]')!, 'Escape');
    await waitUntil(() => !lightbox(ben), 'the lightbox did not close');
    expect(ben.shadowRoot!.activeElement).to.equal(button);
  });

  it('sends a pasted and a picked photo together and steps through them with the arrow keys', async () => {
    const [ana, ben] = await twoChats();
    const textarea = ana.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea')!;
    const clipboard = new DataTransfer();
    clipboard.items.add(await png('image.png', 80, 80, '#2f9e44'));
    textarea.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true, composed: true }));
    await waitUntil(() => q(ana, '[part~="attachment"]'), 'the pasted image did not join the tray', { timeout: 5000 });
    pick(ana, [await png('second.png', 90, 60, '#1971c2')]);
    await waitUntil(() => all(ana, '[part~="attachment"]').length === 2);
    // Sent at once: the send waits for the uploads itself.
    await typeAndSend(ana, '');
    await waitUntil(() => all(ben, '[part~="images"] img').length === 2, 'Ben did not get both photos', { timeout: 8000 });
    expect(all<HTMLImageElement>(ben, '[part~="images"] img').map((i) => i.alt)).to.deep.equal(['image', 'second']);

    all(ben, '[part~="image"]')[0]!.click();
    await waitUntil(() => lightbox(ben)?.open, 'the lightbox did not open', { timeout: 5000 });
    const dialog = lightbox(ben)!;
    // The caption is the photo's alt text, then where it is in the message.
    const caption = (): string =>
      `${dialog.querySelector<HTMLImageElement>('[part~="lightbox-image"]')!.alt} ${dialog.querySelector('.lb-position')!.textContent}`;
    expect(caption()).to.equal('image 1 of 2');
    key(dialog, 'ArrowRight');
    await waitUntil(() => caption() === 'second 2 of 2', 'ArrowRight did not show the next photo');
    key(dialog, 'ArrowRight');
    await waitUntil(() => caption() === 'image 1 of 2', 'the last photo did not wrap to the first');
    key(dialog, 'ArrowLeft');
    await waitUntil(() => caption() === 'second 2 of 2');
    dialog.querySelector<HTMLElement>('[part~="lightbox-close"]')!.click();
    await waitUntil(() => !lightbox(ben), 'the close button did not close the lightbox');
  });

  it('takes photos dropped anywhere on the chat', async () => {
    const [ana] = await twoChats();
    const dt = new DataTransfer();
    dt.items.add(await png('dropped.png'));
    const log = q(ana, '.log')!;
    const over = new DragEvent('dragover', { dataTransfer: dt, bubbles: true, composed: true, cancelable: true });
    log.dispatchEvent(over);
    expect(over.defaultPrevented).to.equal(true);
    const drop = new DragEvent('drop', { dataTransfer: dt, bubbles: true, composed: true, cancelable: true });
    log.dispatchEvent(drop);
    expect(drop.defaultPrevented).to.equal(true);
    await waitUntil(() => q(ana, '[part~="attachment-done"]'), 'the dropped photo did not upload', { timeout: 8000 });
    expect(ana.shadowRoot!.querySelector<HTMLInputElement>('[part~="attachment-alt"]')?.value).to.equal('dropped');
  });

  it('refuses a file that is too large and one that is not an image before uploading anything', async () => {
    const [ana] = await twoChats();
    const before = uploadsSoFar();
    const huge = new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'huge.jpg', { type: 'image/jpeg' });
    const notes = new File(['just words'], 'notes.txt', { type: 'text/plain' });
    pick(ana, [huge, notes]);
    await waitUntil(() => q(ana, '[part~="attachments-notice"]'), 'no refusal shown', { timeout: 5000 });
    const notice = q(ana, '[part~="attachments-notice"]')!;
    expect(notice.getAttribute('role')).to.equal('alert');
    expect(notice.textContent).to.contain('huge.jpg: a photo can be at most 10 MB.');
    expect(notice.textContent).to.contain('notes.txt: only JPEG, PNG and WebP photos can be sent.');
    expect(q(ana, '[part~="attachment"]')).to.equal(null);
    expect(uploadsSoFar()).to.equal(before);
  });

  it("shows the server's refusal of an HTML file named .png, and holds the send until it is removed", async () => {
    const [ana, ben] = await twoChats();
    pick(ana, [new File(['<html><script>alert(1)</script></html>'], 'photo.png', { type: 'image/png' })]);
    await waitUntil(() => q(ana, '[part~="attachment-failed"]'), 'the server refusal was not shown', { timeout: 8000 });
    expect(q(ana, '.tray-error')!.textContent).to.equal('Only JPEG, PNG or WebP images can be attached.');
    await typeAndSend(ana, 'with the broken photo');
    await waitUntil(() => q(ana, '[part~="attachments-notice"]'));
    expect(q(ana, '[part~="attachments-notice"]')!.textContent.trim()).to.equal('Remove or retry the photo that did not upload.');
    expect(ana.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea')!.value).to.equal('with the broken photo');
    q(ana, '[part~="attachment-remove"]')!.click();
    await waitUntil(() => !q(ana, '[part~="attachments"]'));
    await typeAndSend(ana, 'without it');
    await waitUntil(() => all(ben, '.row.chat .bubble').some((b) => b.textContent.includes('without it')), 'the text did not go', {
      timeout: 8000,
    });
    expect(q(ben, '[part~="images"]')).to.equal(null);
  });
});
