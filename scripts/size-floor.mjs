// What a working chat would weigh if some of its modules were loaded after it: builds the widget's bundle
// (packages/elements/rollup.config.mjs) with each listed module replaced by a stub that exports the same
// names and no code, into a temporary directory, and measures it as scripts/size-check.mjs does. It tells
// how much deferring a feature could save before the work of deferring it.
//
//   node scripts/size-floor.mjs                    the two sets README.md quotes (after `pnpm build`: the
//                                                  bundle reads the SDK's and the protocol's dist)
//   node scripts/size-floor.mjs a.ts,sdk/dist/b.js  any other set: endings of the modules' paths
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import typescript from '@rollup/plugin-typescript';
import { measure } from './size-check.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const elements = join(root, 'packages/elements');

const sdk = (names) => names.map((n) => `sdk/dist/${n}.js`);
const chat = (names) => names.map((n) => `components/groupbuy-chat/${n}.ts`);
/** Everything a chat could show or do a moment after its first render. */
const DEFERRABLE = [
  ...sdk([
    'moderation',
    'roster',
    'outbox-store',
    'outbox',
    'catch-up',
    'reconnect',
    'backoff',
    'typing',
    'unread',
    'insights',
    'room-activity',
    'address',
    'attachments',
  ]),
  ...chat([
    'banners',
    'read-only',
    'invite-button',
    'host-stats-toggle',
    'participants-panel',
    'launcher-host',
    'read-marker',
    'typing-indicator',
    'image-grid',
    'attach',
    'moderation-loader',
  ]),
  'internal/public-feed.ts',
];
/** The same, and the header with the count and the countdown. */
const WITHOUT_HEADER = [...DEFERRABLE, ...chat(['chat-header', 'chat-header.styles']), 'internal/countdown.ts'];

/** A module's export names, read off its compiled JavaScript (`export const|function|class X`, `export { a as b }`). */
function exportNames(code) {
  const names = new Set();
  for (const m of code.matchAll(/export\s+(?:async\s+)?(?:function\*?|class|const|let|var)\s+([\w$]+)/g)) names.add(m[1]);
  for (const m of code.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1].split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop();
      if (name && !name.startsWith('type ')) names.add(name);
    }
  }
  return names;
}

async function floor(stubbed) {
  const out = mkdtempSync(join(tmpdir(), 'groupbuy-size-floor-'));
  const cwd = process.cwd();
  process.chdir(elements); // the config's paths are relative to its package
  try {
    const [, bundle] = (await import(join(elements, 'rollup.config.mjs'))).default;
    const stub = {
      name: 'size-floor-stub',
      transform(code, id) {
        if (!stubbed.some((s) => id.endsWith(s))) return null;
        const body = [...exportNames(code)].map((n) => `export const ${n} = undefined;`);
        if (/export\s+default/.test(code)) body.push('export default undefined;');
        return { code: body.join('\n'), map: null };
      },
    };
    // @rollup/plugin-typescript wants its outDir inside the output directory: a fresh instance for `out`.
    const plugins = bundle.plugins.map((p) =>
      p.name === 'typescript'
        ? typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationMap: false, outDir: relative(elements, out) })
        : p,
    );
    plugins.splice(plugins.findIndex((p) => p.name === 'typescript') + 1, 0, stub);
    const build = await rollup({ ...bundle, plugins, onwarn: () => {} });
    await build.write({ ...bundle.output, dir: out });
    await build.close();
    return await measure(out);
  } finally {
    process.chdir(cwd);
    rmSync(out, { recursive: true, force: true });
  }
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const sets = process.argv[2]
  ? [['the given modules stubbed', process.argv[2].split(',')]]
  : [
      ['every deferrable feature stubbed', DEFERRABLE],
      ['and the header too', WITHOUT_HEADER],
    ];
for (const [label, modules] of sets) {
  const m = await floor(modules);
  console.log(`${label} (${modules.length} modules): working chat ${kb(m.workingChat.gz)} gz, in Korean ${kb(m.workingChatKorean.gz)} gz`);
}
