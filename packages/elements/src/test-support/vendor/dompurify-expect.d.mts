/** DOMPurify's test vectors (dompurify-expect.mjs): only `payload` is read here. */
declare const vectors: { title: string; payload: string; expected?: unknown }[];
export default vectors;
