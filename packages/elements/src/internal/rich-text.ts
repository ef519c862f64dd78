import { html, noChange, type TemplateResult } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';

/** What a link in a message opens in: a new tab that cannot reach back, and no ranking credit. */
export const LINK_REL = 'noopener noreferrer nofollow ugc';

// An http(s) URL up to the next space, quote or angle bracket; what may end a sentence is trimmed after.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+/gi;
const TRAILING = /[.,;:!?'")\]}]/;

/** `text` with its http and https URLs as links, built as elements by the template (never as markup). */
export function linkify(text: string): (string | TemplateResult)[] {
  const parts: (string | TemplateResult)[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let url = match[0];
    // What may end a sentence is not the URL's; a closing parenthesis the URL opened is (/Foo_(bar)).
    while (TRAILING.test(url.slice(-1))) {
      if (url.endsWith(')') && url.split('(').length > url.split(')').length - 1) break;
      url = url.slice(0, -1);
    }
    let href: string;
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') continue;
      href = parsed.href;
    } catch {
      continue;
    }
    parts.push(text.slice(last, match.index));
    parts.push(html`<a href=${href} target="_blank" rel=${LINK_REL} part="link">${url}</a>`);
    last = match.index + url.length;
  }
  parts.push(text.slice(last));
  return parts;
}

/**
 * Whether a notice's text asks for Markdown (bold, italics, a list, a link) or carries markup: only then
 * is the Markdown module (snarkdown + DOMPurify, a chunk of its own) loaded.
 */
export function hasMarkdown(text: string): boolean {
  return /\*\*|__|(^|\s)[*_][^\s*_]|^\s*(?:[-*+]|\d+\.)\s|\]\(|<[a-z!/?]/im.test(text);
}

type MarkdownModule = typeof import('./markdown.js');
let markdown: MarkdownModule | undefined;
let loading: Promise<MarkdownModule> | undefined;

/** The Markdown module, loaded once. */
export function loadMarkdown(): Promise<MarkdownModule> {
  loading ??= import('./markdown.js').then((m) => (markdown = m));
  return loading;
}

/**
 * A notice's content: Markdown rendered and sanitised once its module has arrived, the plain text with
 * links until then (and for a notice with no Markdown, which never loads the module).
 */
class NoticeContent extends AsyncDirective {
  private content: string | undefined;

  render(content: string): unknown {
    if (content === this.content) return noChange;
    this.content = content;
    if (!hasMarkdown(content)) return linkify(content);
    if (markdown) return markdown.renderMarkdown(content);
    void loadMarkdown().then((m) => {
      if (this.content === content && this.isConnected) this.setValue(m.renderMarkdown(content));
    });
    return linkify(content);
  }
}

/** The notice card's content (see NoticeContent). */
export const noticeContent = directive(NoticeContent);
