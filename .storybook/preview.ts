/**
 * Story defaults. Bare imports would resolve from here, outside packages/elements whose node_modules hold
 * Storybook's and Lit's packages, so the one import is a file inside that package (page layout lives in
 * preview-head.html).
 */
import { useElementsManifest } from '../packages/elements/src/test-support/storybook-manifest.js';

useElementsManifest();

const preview = {
  // An autodocs page per element: the JSDoc description, a control for every attribute, and the
  // properties, events, slots, parts and CSS custom properties from custom-elements.json.
  tags: ['autodocs'],
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
    a11y: { test: 'error' },
    // Each story in its own iframe on a docs page: a story's simulated server and clients are reset when
    // the next one renders, which would empty every story but the last on a shared page.
    docs: { toc: true, story: { inline: false, height: '660px' } },
  },
};

export default preview;
