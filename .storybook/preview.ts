/**
 * Story defaults. Kept free of imports: this file sits outside packages/elements, whose node_modules
 * hold Storybook's and Lit's packages (page layout lives in preview-head.html).
 */
const preview = {
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
    a11y: { test: 'error' },
  },
};

export default preview;
