// ESLint for Looplab's JavaScript: Node's layer in crates/engine/js (scripts joined into one
// function when an engine starts, see crates/engine/src/prelude.rs) and these end-to-end tests.
// Run from the repository root by scripts/lint-js.sh.
import js from '@eslint/js';
import globals from 'globals';
import { fileURLToPath } from 'node:url';

// The repository root: both blocks name files from there.
const root = fileURLToPath(new URL('../..', import.meta.url));

export default [
  {
    basePath: root,
    files: ['crates/engine/js/**/*.js'],
    languageOptions: {
      ecmaVersion: 2024,
      // One function body: the files share its scope (prelude.rs joins them), so a file's
      // top-level names are its exports and the `/* global */` comment at its top its imports.
      sourceType: 'script',
      globals: {
        ...globals.es2021,
        // The joined function's parameters (crates/engine/src/prelude.rs).
        host: 'readonly',
        filename: 'readonly',
        source: 'readonly',
        // Declared by prelude.rs before the files: compiles the layer's lazy part (LAZY).
        loadLazy: 'readonly',
        lazyLoaded: 'readonly',
        // Installed by the host (crates/engine/src/host.rs).
        __looplabPromiseState: 'readonly',
      },
    },
    rules: {
      ...js.configs.recommended.rules,
      // Top-level names are used by later files; arguments mirror Node's signatures.
      'no-unused-vars': ['error', { vars: 'local', args: 'none', caughtErrors: 'none' }],
    },
  },
  {
    basePath: root,
    files: ['tests/e2e/**/*.mjs'],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      ...js.configs.recommended.rules,
      'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none' }],
    },
  },
];
