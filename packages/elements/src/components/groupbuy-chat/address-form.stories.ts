import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { elementArgTypes, type ElementArgs, PEOPLE, storyClick, storyLater } from '../../test-support/story-kit.js';
import { moderationStory, SAMPLE_ADDRESS } from './moderation-story-kit.js';

// Issue 11's shipping address: the buyer's form (empty, with a field's error, saved and shown masked), the
// seller's count with the CSV download, and the private hint after the PII guard masked a phone number (a
// buyer's points at the form; a watcher's says joining lets them give one).

const meta: Meta<ElementArgs> = {
  title: 'Elements/groupbuy-chat/Shipping address',
  argTypes: elementArgTypes,
  args: { lang: 'ko', theme: 'auto' },
};
export default meta;

const ID = 'address-story';

/** The empty form, opened from "배송지 입력". */
export const FormEmpty: StoryObj<ElementArgs> = {
  render: (args) => {
    const story = moderationStory();
    storyClick(ID, 'address-button');
    return story.widget(PEOPLE.minji, args, ID);
  },
};

/** A phone number that is not Korean: the field carries the error, the focus goes there. */
export const FormError: StoryObj<ElementArgs> = {
  render: (args) => {
    const story = moderationStory();
    storyClick(ID, 'address-button');
    const fill = (): void => {
      const root = document.getElementById(ID)?.shadowRoot;
      const inputs = root?.querySelectorAll<HTMLInputElement>('#address-form input');
      if (!root || !inputs || inputs.length === 0) return storyLater(150, fill);
      const values = [SAMPLE_ADDRESS.recipient, '1234-5678', SAMPLE_ADDRESS.postalCode, SAMPLE_ADDRESS.line1, '', ''];
      inputs.forEach((input, i) => {
        input.value = values[i] ?? '';
        input.dispatchEvent(new InputEvent('input', { bubbles: true }));
      });
      root.querySelector<HTMLButtonElement>('[part~="address-save"]')?.click();
    };
    storyLater(300, fill);
    return story.widget(PEOPLE.minji, args, ID);
  },
};

/** Saved: shown back masked (김*지, 010-****-5678, the unit hidden) with Edit and Delete. */
export const FormSavedMasked: StoryObj<ElementArgs> = {
  render: (args) => {
    const story = moderationStory();
    void story.call(PEOPLE.minji, 'PUT', '/participants/me/address', SAMPLE_ADDRESS);
    storyClick(ID, 'address-button');
    return story.widget(PEOPLE.minji, args, ID);
  },
};

/** The seller: how many buyers gave an address, and the CSV download. */
export const HostAddressCount: StoryObj<ElementArgs> = {
  render: (args) => {
    const story = moderationStory();
    void story.call(PEOPLE.minji, 'PUT', '/participants/me/address', SAMPLE_ADDRESS);
    void story.call(PEOPLE.alex, 'PUT', '/participants/me/address', { ...SAMPLE_ADDRESS, recipient: 'Alex Kim', phone: '02-123-4567' });
    return story.widget(PEOPLE.seller, args, ID);
  },
};

// Types `text` into the composer of the widget `id` and sends it with Enter, once its messages show.
function sendFrom(story: ReturnType<typeof moderationStory>, text: string): void {
  story.whenLoaded(ID, () => {
    const input = document.getElementById(ID)?.shadowRoot?.querySelector('textarea');
    if (!input) return;
    input.value = text;
    input.dispatchEvent(new InputEvent('input', { bubbles: true }));
    storyLater(50, () =>
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, composed: true })),
    );
  });
}

/** A buyer wrote a phone number: it is stored masked, and only they see the hint with the form's button. */
export const PiiHintBuyer: StoryObj<ElementArgs> = {
  render: (args) => {
    const story = moderationStory();
    sendFrom(story, '010-1234-5678 로 연락 주세요');
    return story.widget(PEOPLE.minji, args, ID);
  },
};

/** A watcher (not a buyer yet) wrote one: the hint says joining lets them give an address, with no form. */
export const PiiHintWatcher: StoryObj<ElementArgs> = {
  render: (args) => {
    const story = moderationStory();
    sendFrom(story, '제 번호 010-9876-5432 예요');
    return story.widget(PEOPLE.watcher, args, ID);
  },
};
