import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { StoryObj } from '@storybook/web-components-vite';
import type { TemplateResult } from 'lit';
import * as stories from './attach.stories.js';

// Every photo story shows the state it names.

type Story = StoryObj<{ lang: 'ko' | 'en' }>;
let shown: HTMLElement | undefined;

async function show(story: Story): Promise<ShadowRoot> {
  shown?.remove();
  const template = story.render!({ lang: 'en' }, {} as never) as TemplateResult;
  shown = await fixture<HTMLElement>(html`<div>${template}</div>`);
  return shown.querySelector('photo-story-stage')!.shadowRoot!;
}

after(() => shown?.remove());

describe('photo stories', () => {
  it('show the tray uploading, uploaded and refused', async () => {
    for (const [story, state] of [
      [stories.ComposerUploading, 'uploading'],
      [stories.ComposerUploaded, 'done'],
      [stories.ComposerUploadFailed, 'failed'],
    ] as const) {
      const root = await show(story);
      await waitUntil(() => root.querySelectorAll(`[part~="attachment-${state}"]`).length === 2, `two photos ${state}`);
      await expect(root.querySelector('[part~="attachments"]')).to.be.accessible();
    }
    const root = await show(stories.ComposerUploadFailed);
    await waitUntil(() => root.querySelector('.tray-error'));
    expect(root.querySelector('.tray-error')!.textContent).to.equal('Only JPEG, PNG or WebP images can be attached.');
  });

  it('show messages with one, two and four photos', async () => {
    for (const [story, n] of [
      [stories.MessageOnePhoto, 1],
      [stories.MessageTwoPhotos, 2],
      [stories.MessageFourPhotos, 4],
    ] as const) {
      const root = await show(story);
      await waitUntil(() => root.querySelectorAll('[part~="images"] img').length === n, `${String(n)} photos`);
      await expect(root.querySelector('[part~="images"]')).to.be.accessible();
    }
  });

  it('shows the lightbox open', async () => {
    const root = await show(stories.LightboxOpen);
    await waitUntil(() => root.querySelector<HTMLDialogElement>('dialog[part~="lightbox"]')?.open, 'the lightbox', { timeout: 5000 });
    expect(root.querySelector('.lb-position')!.textContent).to.equal('1 of 4');
    await expect(root.querySelector('dialog')).to.be.accessible();
    root.querySelector<HTMLElement>('[part~="lightbox-close"]')!.click();
  });
});
