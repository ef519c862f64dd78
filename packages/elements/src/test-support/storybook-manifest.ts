// Hands Storybook the elements' custom-elements.json (analysed from the sources by .storybook/main.ts),
// so autodocs pages list every attribute, property, event, slot, part and CSS property with its JSDoc,
// and each attribute gets a control. Called by .storybook/preview.ts; bare imports resolve from here.
import { setCustomElementsManifest } from '@storybook/web-components-vite';
import manifest from 'virtual:groupbuy-custom-elements';

/**
 * Registers the manifest with Storybook. A function, not an import side effect: package.json lists
 * this package's side effects, and a bare import of this module would be dropped from the build.
 */
export function useElementsManifest(): void {
  setCustomElementsManifest(manifest);
}
