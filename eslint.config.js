import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'util', 'events', 'url', 'worker_threads', 'tls', 'dns', 'zlib', 'buffer', 'process'];
const MAIN_ONLY_PACKAGES = ['ssh2', 'keytar', 'conf', 'electron-store', 'ws', '@aws-sdk/*', 'vite'];

const RENDERER_PATTERNS = [
  { group: ['electron', 'electron/*'], message: 'The renderer talks to main only through the typed client (src/renderer/api).' },
  { group: NODE_BUILTINS, message: 'The renderer runs in a sandboxed page: no Node built-ins.' },
  { group: MAIN_ONLY_PACKAGES, message: 'Main-process packages stay in main.' },
  { group: ['**/main/**', '**/preload/**'], message: 'The renderer imports only src/shared and browser packages.' },
];

/** The architecture's import arrows, as lint rules: a wrong arrow fails `npm run lint`. */
const boundaries = [
  {
    files: ['src/shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'src/shared is carrier-neutral: no electron.' },
          { group: NODE_BUILTINS, message: 'src/shared runs in the renderer too: no Node built-ins.' },
          { group: MAIN_ONLY_PACKAGES, message: 'src/shared must not pull main-process packages.' },
          { group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'src/shared imports nothing else of ours.' },
        ],
      }],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**', 'src/main/index.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'Services are plain Node: only src/main/electron and src/main/index.ts import electron.' },
          { group: ['**/renderer/**', '**/preload/**'], message: 'main never imports renderer or preload code.' },
        ],
      }],
    },
  },
  {
    files: ['src/main/services/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'Services are plain Node: never electron.' },
          // Relative climbs straight into src/main/{ipc,bridge,electron} (src/shared/ipc, the contract, is fine).
          { regex: '^(\\.\\./)+(ipc|bridge|electron)/', message: 'Services know nothing of their carriers.' },
          { group: ['**/renderer/**', '**/preload/**'], message: 'Services know nothing of the renderer or preload.' },
        ],
      }],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/main/**', '**/renderer/**'], message: 'The preload imports only electron and src/shared.' },
          { group: NODE_BUILTINS, message: 'A sandboxed preload has no Node built-ins.' },
        ],
      }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: RENDERER_PATTERNS }] },
  },
  // The renderer's shared layers sit under the screens: api/ (the carrier) under components/ and state/,
  // and none of them knows a screen or the app frame. (A later block replaces the rule's options, so
  // each repeats the renderer-wide patterns.)
  {
    files: ['src/renderer/{components,state}/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ...RENDERER_PATTERNS,
          { regex: '^(\\.\\./)+(features|app)/', message: 'components/ and state/ are shared by every screen: they import no feature and not the app frame.' },
        ],
      }],
    },
  },
  {
    files: ['src/renderer/api/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ...RENDERER_PATTERNS,
          { regex: '^(\\.\\./)+(features|app|components|state)/', message: 'api/ is the carrier only: it imports no UI, state or screen.' },
        ],
      }],
    },
  },
  // A feature imports its own files, components/, api/, state/ and src/shared — never another feature or
  // app/: what one screen shows of another is composed by app/ (state/screen-slots.tsx). The import text is
  // all the rule sees, so there is one block per folder depth inside a feature: climbing out of the feature
  // lands in features/ (another feature), one more level in src/renderer/ (only the shared layers).
  ...[1, 2, 3].map((depth) => ({
    files: [`src/renderer/features/*/${'*/'.repeat(depth - 1)}*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ...RENDERER_PATTERNS,
          {
            regex: `^(\\.\\./){${depth}}(?!\\.\\./)`,
            message: 'A feature imports no other feature: move what both need to components/ or state/, or let app/ compose the screens (state/screen-slots.tsx).',
          },
          {
            regex: `^(\\.\\./){${depth + 1}}(?!(components|api|state)/|\\.\\./)`,
            message: 'A feature imports only its own files, components/, api/, state/ and src/shared — not app/.',
          },
        ],
      }],
    },
  })),
  {
    // Event names are the wire's vocabulary: features subscribe through api/subscriptions.ts.
    files: ['src/renderer/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.property.name='on'][arguments.0.type='Literal']",
        message: 'Subscribe through subscribe.* (src/renderer/api/subscriptions.ts), not by event name.',
      }],
    },
  },
];

export default tseslint.config(
  { ignores: ['out/**', 'release/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['scripts/**', 'test/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...boundaries,
);
