// The virtual module .storybook/main.ts serves: the elements' custom-elements.json.
declare module 'virtual:groupbuy-custom-elements' {
  const manifest: object;
  export default manifest;
}
