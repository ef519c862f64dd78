// ESLint for the whole workspace (`pnpm lint`, run by `pnpm test`): typescript-eslint's strict, type-aware
// rules on every package's TypeScript, the Lit and web-components rules on @groupbuy/elements, and
// ESLint's recommended rules on the build and test scripts (.mjs). Formatting is Prettier's job, not ESLint's.
// A rule that is noise for this codebase is switched off here, with the reason, not in the files.
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const tests = ['**/*.test.{ts,tsx,mjs}', '**/test-support/**', '**/*.stories.ts'];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/test-artifacts/**', 'data/**', 'storybook-static/**'],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The end-to-end tests hand functions to page.evaluate(): their bodies run in the page.
    files: ['examples/*/*.test.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: {
        // Each file is checked with its package's tsconfig.json; Storybook's config, outside every package,
        // gets a default project.
        projectService: { allowDefaultProject: ['.storybook/*.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Counts, sequence numbers and milliseconds go into messages and keys all the time; booleans, nullish
      // values and objects in a template still are findings.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `() => fn()` as a one-line callback, and `return end(error)` to leave a void function, are idioms here.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }],
      // Store, bus and transport methods return a Promise by contract even where an implementation has
      // nothing to await (the in-memory ones); `async` is how a throw becomes a rejection there.
      '@typescript-eslint/require-await': 'off',
      // TypeScript narrows a flag that a callback or an await changes later (`ended`, `again`, `closing`),
      // so this rule reports the shutdown, replay and coalescing loops that depend on those flags.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // @stomp/stompjs declares StompHeaders and StompConfig as classes but takes plain objects for them
      // (its own docs pass literals); nothing in them depends on a prototype.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      // Passing on a caught value as it came (`catch (err) { reject(err) }`) is not inventing a non-Error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // `const { secret: _secret, ...rest } = x` is how a key is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['packages/elements/src/**/*.ts'],
    // Every Lit rule and the web-components best practices (lifecycle super calls, listener teardown, …).
    extends: [lit.configs['flat/all'], wc.configs['flat/best-practice']],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // A row's handler needs its row (`@click=${() => this.retry(message)}`); binding per row is the same
      // closure by another name.
      'lit/no-template-arrow': 'off',
      // Lit calls a template's event listener with the element as `this` (`@click=${this.onClick}`); the rule
      // cannot see that and reports every one.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: tests.filter((g) => !g.endsWith('.mjs')),
    rules: {
      // With noUncheckedIndexedAccess every `list[0]` is possibly undefined; in a test a wrong `!` fails the
      // test at once, which is the check.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests read response bodies and frames as parsed JSON (`Response.json()` is typed `any`) and assert on
      // them; the expect() is the type check there. Sources stay free of `any`.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // `expect(client.close).…` and spies take methods off their objects on purpose.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Declarations mirror a third-party API as it is typed (mocha's `void | Promise<void>` callbacks).
    files: ['**/*.d.ts'],
    rules: { '@typescript-eslint/no-invalid-void-type': 'off' },
  },
);
