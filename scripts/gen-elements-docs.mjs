#!/usr/bin/env node
// Writes packages/elements/custom-elements.json (cem analyze) and docs/elements.md from it: every
// attribute, property, event (with what it carries), slot, part and CSS custom property of the elements.
//
//   node scripts/gen-elements-docs.mjs           write both (the elements `build` runs this)
//   node scripts/gen-elements-docs.mjs --check   analyse into a temp dir; fail when docs/elements.md is not
//                                                what it would write (the elements `test` runs this)
//
// CSS custom properties: the theme tokens both elements share are documented once, as `@cssproperty`
// lines on `themeStyles` in src/internal/theme.styles.ts; each element gets the ones its stylesheets
// (theme.styles.ts's rules and every *.styles.ts in its folder) read, added to its manifest entry here, so
// the two elements cannot drift. An element's JSDoc lists only the properties that are its own. Defaults
// come from the stylesheets, the one place the widget reads them: a JSDoc `[--x=default]` that says
// otherwise, a token read but documented nowhere, or documented but read by nobody fails the run.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const pkg = join(root, 'packages/elements');
const docsPath = join(root, 'docs/elements.md');
const check = process.argv.includes('--check');

// What cem reads: each component's class (src/components/<tag>/<tag>.ts; the render modules and
// controllers beside it are internals, as are the styles), the base class they inherit attributes from,
// and the event classes.
const COMPONENTS = readdirSync(join(pkg, 'src/components'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => `src/components/${d.name}/${d.name}.ts`);
const CEM_ARGS = ['analyze', '--litelement', '--globs', ...COMPONENTS, 'src/internal/room-element.ts', 'src/events/*.ts'];

/**
 * Runs cem's analyzer in packages/elements and returns the manifest; writes custom-elements.json only
 * when `write` (cem's CLI would also rewrite package.json for any other output folder). Storybook
 * (.storybook/main.ts) reads the elements through this too, so both see the same globs.
 */
export async function analyze(write = false, problems = []) {
  const analyzer = createRequire(join(pkg, 'package.json')).resolve('@custom-elements-manifest/analyzer/package.json');
  const { cli } = await import(pathToFileURL(join(dirname(analyzer), 'cli.js')).href);
  const manifest = await cli({ argv: [...CEM_ARGS, '--quiet'], cwd: pkg, noWrite: true });
  addThemeTokens(manifest, readTheme(), problems);
  if (write) writeFileSync(join(pkg, 'custom-elements.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

// --- CSS defaults, read from the stylesheets ---------------------------------------------------------

/** Every `var(--groupbuy-x, default)` in `text`: name → default (whitespace folded). */
function cssDefaults(text) {
  const found = new Map();
  const re = /var\(\s*(--groupbuy-[a-z0-9-]+)\s*,/g;
  let m;
  while ((m = re.exec(text))) {
    let depth = 1;
    let i = re.lastIndex;
    const start = i;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')') depth--;
    }
    const value = text
      .slice(start, i - 1)
      .replace(/\s+/g, ' ')
      .trim();
    if (!found.has(m[1])) found.set(m[1], value);
  }
  return found;
}

/** `var(--_text)` → `var(--groupbuy-text)`: private tokens named by the public property they follow. */
function publicName(value, privateTokens) {
  return value.replace(/var\((--_[a-z0-9-]+)\)/g, (all, token) => {
    const target = privateTokens.get(token);
    return target ? `var(${target})` : all;
  });
}

function readTheme() {
  const theme = readFileSync(join(pkg, 'src/internal/theme.styles.ts'), 'utf8');
  const darkStart = theme.indexOf('const darkTokens = unsafeCSS(`');
  const darkEnd = theme.indexOf('`);', darkStart);
  if (darkStart < 0 || darkEnd < 0) throw new Error('theme.styles.ts: no darkTokens block');
  const dark = theme.slice(darkStart, darkEnd);
  const light = theme.slice(0, darkStart) + theme.slice(darkEnd);
  const privateTokens = new Map();
  for (const m of theme.matchAll(/(--_[a-z0-9-]+):\s*var\(\s*(--groupbuy-[a-z0-9-]+)/g)) privateTokens.set(m[1], m[2]);
  // The JSDoc of `themeStyles`: `@cssproperty --groupbuy-x - Description.`, in the order to list them.
  const docEnd = theme.indexOf('export const themeStyles');
  const docStart = theme.lastIndexOf('/**', docEnd);
  if (docStart < 0 || docEnd < 0) throw new Error('theme.styles.ts: no JSDoc on themeStyles');
  const docs = new Map();
  for (const m of theme.slice(docStart, docEnd).matchAll(/@cssproperty\s+(--groupbuy-[a-z0-9-]+)\s+-\s+(.+)/g)) docs.set(m[1], m[2].trim());
  return { light: cssDefaults(light), dark: cssDefaults(dark), privateTokens, docs, rules: withoutDefinitions(theme) };
}

/** A stylesheet's text without its token definitions (`--_x: …;`): what is left only reads tokens. */
function withoutDefinitions(text) {
  return text.replace(/--_[a-z0-9-]+\s*:[^;]*;/g, '');
}

/** The public properties `text` reads: directly (`var(--groupbuy-x`) or through a private token (`var(--_x`). */
function propertiesRead(text, privateTokens) {
  const read = new Set();
  for (const m of text.matchAll(/var\(\s*(--groupbuy-[a-z0-9-]+)/g)) read.add(m[1]);
  for (const m of text.matchAll(/var\(\s*(--_[a-z0-9-]+)/g)) {
    const target = privateTokens.get(m[1]);
    if (target) read.add(target);
  }
  return read;
}

/** Every *.styles.ts beside an element's module: the element's own stylesheets (its parts' included). */
function ownStylesheets(modulePath) {
  const dir = join(pkg, dirname(modulePath));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.styles.ts'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

/**
 * Gives every element in `manifest` the theme tokens its stylesheets read, with the description from
 * theme.styles.ts and the light default from the CSS, after the properties its own JSDoc lists; records
 * in `problems` whatever would let the docs and the CSS drift apart.
 */
function addThemeTokens(manifest, theme, problems) {
  const themed = new Set(theme.privateTokens.values());
  for (const name of propertiesRead(theme.rules, theme.privateTokens)) themed.add(name);
  for (const name of themed) if (!theme.docs.has(name)) problems.push(`theme.styles.ts reads ${name}, which its JSDoc does not document`);
  const readByAny = new Set();
  for (const decl of declarations(manifest).filter((d) => d.customElement && d.tagName)) {
    const tag = decl.tagName;
    const own = ownStylesheets(decl.module);
    const read = propertiesRead(`${theme.rules}\n${withoutDefinitions(own)}`, theme.privateTokens);
    const documented = new Set();
    for (const p of decl.cssProperties ?? []) {
      documented.add(p.name);
      if (theme.docs.has(p.name)) problems.push(`${tag}: its JSDoc documents ${p.name}, which theme.styles.ts documents for both elements`);
      else if (!read.has(p.name)) problems.push(`${tag}: ${p.name} is documented but no stylesheet reads it`);
    }
    const tokens = [];
    for (const [name, description] of theme.docs) {
      if (!read.has(name)) continue;
      readByAny.add(name);
      tokens.push({ description, name, default: publicName(theme.light.get(name) ?? '', theme.privateTokens) });
    }
    for (const name of read) {
      if (!documented.has(name) && !theme.docs.has(name))
        problems.push(`${tag}: the stylesheet reads ${name}, which neither its JSDoc nor theme.styles.ts documents`);
    }
    // The class declaration in its module, not the copy `declarations()` made.
    const target = manifest.modules.find((m) => m.path === decl.module).declarations.find((d) => d.name === decl.name);
    target.cssProperties = [...(decl.cssProperties ?? []), ...tokens];
  }
  for (const name of theme.docs.keys())
    if (!readByAny.has(name)) problems.push(`theme.styles.ts documents ${name}, which no stylesheet reads`);
}

// --- Manifest helpers --------------------------------------------------------------------------------

const md = (text) => (text ?? '').replace(/\|/g, '\\|').replace(/\n+/g, ' ').trim();
const code = (text) => (text ? `\`${String(text).replace(/\|/g, '\\|')}\`` : '');

function declarations(manifest) {
  const all = [];
  for (const mod of manifest.modules ?? []) for (const d of mod.declarations ?? []) all.push({ ...d, module: mod.path });
  return all;
}

function publicFields(decl) {
  return (decl.members ?? []).filter(
    (m) => m.kind === 'field' && !m.static && m.privacy !== 'private' && m.privacy !== 'protected' && !m.name.startsWith('_'),
  );
}

function table(head, rows) {
  if (rows.length === 0) return '_None._\n';
  return (
    [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n'
  );
}

function elementSection(decl, all, theme, problems) {
  const tag = decl.tagName;
  const out = [];
  out.push(`## \`<${tag}>\`\n`);
  if (decl.summary) out.push(`**${decl.summary.trim()}**\n`);
  if (decl.description) out.push(`${decl.description.trim()}\n`);

  out.push('### Attributes and properties\n');
  const attrs = new Map((decl.attributes ?? []).map((a) => [a.fieldName ?? a.name, a]));
  const rows = [];
  const seen = new Set();
  for (const field of publicFields(decl)) {
    const attr = attrs.get(field.name);
    seen.add(field.name);
    rows.push([
      attr ? code(attr.name) : '—',
      code(field.name),
      code(field.type?.text),
      field.default !== undefined ? code(field.default) : '',
      md(field.description),
    ]);
  }
  for (const attr of decl.attributes ?? []) {
    if (seen.has(attr.fieldName ?? attr.name)) continue;
    rows.push([code(attr.name), '—', code(attr.type?.text), attr.default !== undefined ? code(attr.default) : '', md(attr.description)]);
  }
  rows.sort((a, b) => (a[0] === '—') - (b[0] === '—'));
  out.push('Attributes are strings in HTML; properties marked "—" under attribute are set from script (`el.client = …`).\n');
  out.push(table(['attribute', 'property', 'type', 'default', 'description'], rows));

  out.push('\n### Events\n');
  out.push('All bubble and are composed (they cross shadow roots).\n');
  out.push(
    table(
      ['event', 'class', 'carries', 'when'],
      (decl.events ?? []).map((e) => {
        const cls = e.type?.text;
        const eventDecl = cls ? all.find((d) => d.name === cls) : undefined;
        if (cls && !eventDecl) problems.push(`${tag}: event ${e.name} names ${cls}, which the manifest does not have`);
        const carries = eventDecl
          ? publicFields(eventDecl)
              .map((f) => `${code(`event.${f.name}: ${f.type?.text ?? 'unknown'}`)}${f.description ? ` — ${md(f.description)}` : ''}`)
              .join('<br>')
          : '';
        return [code(e.name), code(cls), carries, md(e.description)];
      }),
    ),
  );

  out.push('\n### Slots\n');
  out.push(
    table(
      ['slot', 'description'],
      (decl.slots ?? []).map((s) => [s.name ? code(s.name) : '(default)', md(s.description)]),
    ),
  );

  out.push('\n### CSS parts\n');
  out.push('Style them from the page with `' + tag + '::part(name)`.\n');
  out.push(
    table(
      ['part', 'description'],
      (decl.cssParts ?? []).map((p) => [code(p.name), md(p.description)]),
    ),
  );

  out.push('\n### CSS custom properties\n');
  out.push('Set them on the element or any ancestor. "dark" is the default under `theme="dark"` or a dark OS preference.\n');
  const own = cssDefaults(ownStylesheets(decl.module));
  const cssRows = (decl.cssProperties ?? []).map((p) => {
    const light = theme.light.get(p.name) ?? own.get(p.name);
    const dark = theme.dark.get(p.name);
    const shown = light === undefined ? undefined : publicName(light, theme.privateTokens);
    if (shown === undefined) problems.push(`${tag}: ${p.name} is documented but no stylesheet reads it`);
    else if ((p.default ?? '').replace(/\s+/g, ' ').trim() !== shown) {
      problems.push(`${tag}: JSDoc says ${p.name} defaults to "${p.default ?? ''}", the stylesheet to "${shown}"`);
    }
    const darkShown = dark === undefined ? '' : publicName(dark, theme.privateTokens);
    return [code(p.name), code(shown), darkShown && darkShown !== shown ? code(darkShown) : 'same', md(p.description)];
  });
  out.push(table(['property', 'default', 'dark', 'description'], cssRows));
  return out.join('\n');
}

const TEMPLATE_TOP = `<!-- Generated by scripts/gen-elements-docs.mjs from custom-elements.json (the components' JSDoc) and
     the stylesheets' defaults. Do not edit: change the JSDoc or the template in the script, then run
     \`pnpm --filter @groupbuy/elements build\`. The elements' test command fails when this file is stale. -->

# Web components reference — \`@groupbuy/elements\`

Two custom elements for a product page: \`<groupbuy-chat>\` (the whole chat of one deal) and
\`<participant-list>\` (who joined and who is watching). One script tag from the chat server loads both:

\`\`\`html
<script type="module" src="https://chat.example.com/elements/groupbuy-chat.bundle.js"></script>
<groupbuy-chat product-id="tangerine-5kg" base-url="https://chat.example.com"></groupbuy-chat>
<script type="module">
  const chat = document.querySelector('groupbuy-chat');
  // Asked on every (re)connect; return a fresh JWT from your backend (see docs/deploy.md).
  chat.tokenProvider = () => fetch('/my/chat-token').then((r) => r.text());
  chat.addEventListener('groupbuy-auth-required', () => openLogin());
</script>
\`\`\`

From npm: \`import '@groupbuy/elements/define/groupbuy-chat.js'\` registers both tags; \`@groupbuy/elements\`
exports the classes (to register under other names) and the event classes.

Without \`token\`, \`tokenProvider\` or \`client\`, a visitor is signed out: the chat shows the deal's header and
the seller's notices from the room's public feed, with the \`signed-out\` slot as the sign-in prompt.
`;

const TEMPLATE_THEMING = `
## Launcher mode

\`<groupbuy-chat mode="launcher">\` is the chat as a floating round button in a corner of the page, as
shops embed chat most often. The button shows the deal's progress as a ring (buyers / cap, labelled
"12/20명 참여" for screen readers) and an unread badge: messages from other people (not SYSTEM lines) after
the reader's read position, "99+" above 99, hidden at 0, announced politely ("읽지 않은 메시지 3개").

\`\`\`html
<style>
  groupbuy-chat[mode='launcher'] {
    --groupbuy-launcher-bottom: 24px;   /* default 20px */
    --groupbuy-launcher-left: 24px;     /* set it to use the left corner; unset, --groupbuy-launcher-right */
    --groupbuy-launcher-size: 60px;     /* default 56px */
    --groupbuy-launcher-z: 1000;        /* default 2147483000 */
    --groupbuy-height: 640px;           /* the open panel's height, at most the window's */
  }
  groupbuy-chat::part(launcher) { box-shadow: none; }
</style>
<groupbuy-chat mode="launcher" product-id="tangerine-5kg" base-url="https://chat.example.com"></groupbuy-chat>
<script type="module">
  const chat = document.querySelector('groupbuy-chat');
  chat.addEventListener('groupbuy-open', () => analytics.track('chat_open'));
  document.querySelector('#ask-seller').onclick = () => (chat.open = true);   // open from the page
</script>
\`\`\`

- Pressing the button opens the chat (\`open\` reflects it, \`groupbuy-open\` fires) in a dialog panel above the
  button, 380 px wide; on a screen up to 480 px wide it takes the whole screen. The panel has a close button;
  Escape closes it too, and focus goes back to the button (\`groupbuy-close\`). While it is open Tab stays inside.
- Closing only hides the chat: the element keeps its connection and subscription, so the badge counts what
  arrives while it is closed. Once open with the list at its end (in a visible tab), the room is marked read
  on the server (\`POST …/read\`), which also clears the badge on the reader's other tabs and devices.
- A closed launcher paints only its button: the launcher's code and styles are a chunk of their own, fetched on
  the first render in launcher mode (a chat in panel mode never downloads it), and the chat's own parts render
  on first open. Parts: \`launcher\`, \`launcher-ring\`, \`launcher-badge\`, \`launcher-panel\`, \`launcher-close\`.

## Moderation, the pinned notice and shipping addresses (issue 11)

What the widget shows of the room's moderation and of a buyer's private shipping address; every action goes
through the SDK session (\`deleteMessage\`, \`mute\`, \`report\`, \`setSlowMode\`, \`pin\`, \`unpin\`,
\`address.save\` …, docs/sdk.md), every rule is the protocol's (\`decideDelete\`, \`decideModeration\`,
\`sendWait\`, \`parseShippingAddressInput\`, \`maskShippingAddress\`), and a refusal shows in the error banner.

- **Deleted messages** keep their place, sender and time: the bubble says "삭제된 메시지예요" / "This message
  was deleted" (part \`message-deleted\`), with no content and no menu; a live \`MESSAGE_DELETED\` turns an open
  bubble into it, and the SYSTEM line says "메시지가 삭제됐어요".
- **The message menu** (\`message-menu-button\`, a real \`<button aria-haspopup="menu" aria-expanded>\`; the
  menu \`message-menu\` moves with the arrow keys, Home/End, and closes on Escape with the focus back on its
  button): Delete (the seller and the service; a sender within five minutes of sending), Pin (a notice), Mute
  for 10 min / 1 h / 24 h (a buyer's message); everyone else gets Report, with a reason (\`report-form\`).
- **The seller's slow-mode selector** (\`slow-mode-control\`: off, 10 s, 30 s, 60 s, and any other value the
  server set) sits in the row under the header (\`tools\`).
- **A muted buyer's composer** is disabled with "오후 3:12까지 채팅이 제한되었어요" / "You can chat again at
  3:12 PM" (date and time when the mute ends another day), and comes back by itself when it passes.
- **Slow mode**: the hint says "슬로우 모드: 10초마다 1개" and, after a send, the send button counts down
  (\`cooldown\`, "5초"); the seller and the service are exempt and see neither.
- **The pinned notice** (\`pinned-notice\`) shows under the header for everyone, signed-out visitors included,
  rendered like any notice (light Markdown through the lazily loaded sanitiser). Its heading
  (\`pinned-toggle\`, \`aria-expanded\`) folds it to one line; the fold is remembered per room for the tab
  (sessionStorage). The seller has Unpin (\`unpin-button\`).
- **Shipping address**: a buyer (while the deal is open or closed) has "배송지 입력" / "Add shipping address"
  (\`address-button\`), which opens a short form over the messages (\`address-form\`: recipient, phone,
  postal code, address, unit, note; \`autocomplete\` name, tel, postal-code, address-line1/2). The protocol's
  check runs before anything is sent; the field it names carries the error (\`address-error\`, \`aria-invalid\`,
  focus). Saved, it is shown back masked (\`address-saved\`: "김*지", "010-****-5678", the unit hidden) with Edit
  and Delete. The seller sees "배송지 N명 입력" (\`address-count\`) and "CSV 내려받기" (\`csv-button\`). When the
  PII guard masked a phone number or an address in the user's own message, a private hint (\`pii-hint\`) points
  to the form.
- **Bundle**: the initial widget carries only the loader (moderation-loader.ts) and the tombstone; the menu,
  the pinned notice, the mute and slow-mode words and the address entry are a chunk fetched once the chat
  has a session (or a signed-out visitor's room has a pinned notice); the menu's actions and the address form
  are chunks of their own, fetched on first use.

## Product photos (issue 12)

A shopper attaches photos to a message; everyone in the room sees them and opens them full size. Uploads go
through the SDK (\`session.upload(file, { onProgress, signal })\`, then \`session.send(text, { attachments })\`,
docs/sdk.md); the server recognises JPEG, PNG and WebP by their bytes, strips EXIF and makes a 512-px preview.

- **Attach**: the composer's paper-clip button (\`attach-button\`, "사진 첨부" / "Attach photos") opens the file
  picker (\`<input type="file" accept="image/jpeg,image/png,image/webp" multiple>\`); pasting an image into the
  textarea (a screenshot, a copied photo) or dropping files anywhere on the chat does the same. Up to
  \`LIMITS.attachmentsPerMessage\` (4) photos per message.
- **The tray** above the composer (\`attachments\`) shows each photo (\`attachment\`, also \`attachment-uploading\`,
  \`attachment-done\`, \`attachment-failed\`) as a thumbnail from an object URL (revoked when it leaves the tray),
  with an upload \`<progress>\`, an alt-text field (\`attachment-alt\`, "사진 설명"; starts as the file name without
  its extension, at most \`LIMITS.altMaxChars\`) and a remove button (\`attachment-remove\`). Uploads start on the
  pick; pressing Send with uploads still running waits for them ("사진을 다 올리면 보낼게요…"), and a photo alone
  (no text) can be sent.
- **Refusals**: a file that is not a JPEG/PNG/WebP by its declared type, or is over
  \`LIMITS.attachmentMaxBytes\` (10 MB), is refused before anything is uploaded, with a line naming the file
  (\`attachments-notice\`, \`role="alert"\`; the protocol's \`uploadProblem\` decides). What the server refuses
  (an HTML file named \`.png\`, a server limit set lower: 413, too many uploads: 429) shows the server's own
  message on that photo, with Retry (\`attachment-retry\`); the send waits until the photo is removed or
  uploaded.
- **In the message list**, a message's photos (\`images\`) are a grid of the previews (\`image\`: a button around
  an \`<img>\` with the photo's \`width\`/\`height\`, \`loading="lazy"\` and its alt text — "사진 1" / "Photo 1"
  without one). The image paths the server sends are resolved against the client's \`baseUrl\`. A deleted
  message shows none.
- **The lightbox** (\`lightbox\`, a modal \`<dialog>\`): the full image (\`lightbox-image\`), its alt text as the
  caption with "2 / 4" (\`lightbox-caption\`), previous/next buttons (\`lightbox-previous\`, \`lightbox-next\`) and
  the arrow keys, a close button (\`lightbox-close\`), Escape or a click beside the picture to close. The rest of
  the page is inert while it is open; closing returns the focus to the photo that opened it.
- **Bundle**: the initial widget carries the button, the paste/drop handlers and the grid; the tray (with
  its strings and styles) and the lightbox are chunks fetched on the first pick/paste/drop and on the first
  photo opened.

## Theming

The widgets live in shadow DOM: the page's CSS does not leak in, and only three things reach inside —
the \`--groupbuy-*\` custom properties, \`::part()\`, and the \`theme\` and \`lang\` attributes. Each property
set by the page wins in light and dark alike; the ones it leaves unset keep their light or dark default
(the tables above).

### Worked example: brand colour, font, dark mode

\`\`\`html
<style>
  /* Brand: a green shop with its own font. Set on the element, or on any ancestor. */
  groupbuy-chat,
  participant-list {
    --groupbuy-accent: #0a7d4f;            /* buttons, progress bar, links, own bubbles */
    --groupbuy-accent-contrast: #ffffff;   /* text on the accent */
    --groupbuy-accent-soft: #e3f5ec;       /* soft accent backgrounds */
    --groupbuy-focus-ring: #0a7d4f;
    --groupbuy-font-family: 'Pretendard', 'Noto Sans KR', system-ui, sans-serif;
    --groupbuy-font-size: 14px;
    --groupbuy-radius: 12px;
    --groupbuy-height: 640px;
  }

  /* Dark mode that follows the shop's own switch rather than the OS: */
  html.dark groupbuy-chat,
  html.dark participant-list {
    --groupbuy-accent: #5fd39c;
    --groupbuy-accent-contrast: #06261a;
    --groupbuy-accent-soft: #173326;
    --groupbuy-focus-ring: #5fd39c;
  }

  /* Parts for what properties do not cover: */
  groupbuy-chat::part(title) { font-weight: 800; }
  groupbuy-chat::part(join-button) { text-transform: uppercase; letter-spacing: 0.02em; }
</style>

<groupbuy-chat product-id="tangerine-5kg" base-url="https://chat.example.com"></groupbuy-chat>
<script type="module">
  // theme="dark" / "light" pins the palette; with no theme attribute the OS preference decides.
  const chat = document.querySelector('groupbuy-chat');
  const sync = () => chat.setAttribute('theme', document.documentElement.classList.contains('dark') ? 'dark' : 'light');
  new MutationObserver(sync).observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
  sync();
</script>
\`\`\`

- Set \`theme\` when the shop has its own dark-mode switch; leave it unset to follow the operating system.
- When you override a colour, override its dark counterpart too (a light-only \`--groupbuy-bg\` would also
  apply in dark mode).
- \`lang="ko"\` / \`lang="en"\` picks the language; without it the nearest \`lang\` up the tree, then the browser's.
- The element sizes itself from \`--groupbuy-height\` (or a \`height\` you set on it) and works with any
  \`display\` the page gives it (block, grid, inline-block).
`;

function render(manifest, problems) {
  const theme = readTheme();
  const all = declarations(manifest);
  const elements = all.filter((d) => d.customElement && d.tagName).sort((a, b) => a.tagName.localeCompare(b.tagName));
  const order = ['groupbuy-chat', 'participant-list'];
  elements.sort((a, b) => order.indexOf(a.tagName) - order.indexOf(b.tagName));
  const sections = elements.map((d) => elementSection(d, all, theme, problems));
  if (problems.length > 0) {
    throw new Error(`gen-elements-docs: the JSDoc and the stylesheets disagree:\n  - ${problems.join('\n  - ')}`);
  }
  return `${TEMPLATE_TOP}\n${sections.join('\n')}${TEMPLATE_THEMING}`;
}

async function main() {
  const problems = [];
  const manifest = await analyze(false, problems);
  const expected = render(manifest, problems);
  if (!check) writeFileSync(join(pkg, 'custom-elements.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  if (check) {
    let actual = '';
    try {
      actual = readFileSync(docsPath, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (actual !== expected) {
      console.error('docs/elements.md is not current: run `pnpm --filter @groupbuy/elements build` and commit it.');
      process.exit(1);
    }
    console.log('docs/elements.md is current.');
  } else {
    writeFileSync(docsPath, expected);
    console.log('wrote custom-elements.json and docs/elements.md');
  }
}

// Run as a script (not when Storybook imports `analyze`).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
