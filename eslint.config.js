// Lint guards what review keeps missing: the layers (main/common <- main/engine <- main/electron, main/cli;
// renderer sees only main/common), the size limits, and a few cheap correctness rules. Type checking
// stays with tsc; nothing here needs type information, so lint stays fast.
import { defineConfig } from 'eslint/config'
import svelte from 'eslint-plugin-svelte'
import tseslint from 'typescript-eslint'
import { disableReasonRule } from './scripts/lint/disable-reason-rule.js'
import { layeringRule } from './scripts/lint/layering-rule.js'

const local = { rules: { layering: layeringRule, 'disable-reason': disableReasonRule } }

/** One entry per folder: what that layer may import besides itself. */
const layer = (name, allow) => ({
  files: [`${name}/**/*.ts`, `${name}/**/*.svelte`],
  rules: { 'local/layering': ['error', { layer: name, allow }] },
})

const CORRECTNESS = {
  'no-async-promise-executor': 'error',
  'no-compare-neg-zero': 'error',
  'no-cond-assign': 'error',
  'no-constant-binary-expression': 'error',
  'no-debugger': 'error',
  'no-dupe-else-if': 'error',
  'no-duplicate-case': 'error',
  'no-empty-pattern': 'error',
  'no-loss-of-precision': 'error',
  'no-self-assign': 'error',
  'no-self-compare': 'error',
  'no-sparse-arrays': 'error',
  'no-unsafe-finally': 'error',
  'no-unsafe-negation': 'error',
  'no-useless-backreference': 'error',
  'use-isnan': 'error',
  'valid-typeof': 'error',
  '@typescript-eslint/no-duplicate-enum-values': 'error',
  '@typescript-eslint/no-extra-non-null-assertion': 'error',
  '@typescript-eslint/no-misused-new': 'error',
  '@typescript-eslint/no-non-null-asserted-optional-chain': 'error',
  '@typescript-eslint/no-unsafe-declaration-merging': 'error',
  '@typescript-eslint/prefer-as-const': 'error',
  'local/disable-reason': 'error',
}

const SIZE = {
  'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
  'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
}

export default defineConfig(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'test/**', 'bin/**', 'docs/**', 'scripts/*', '!scripts/lint/'] },
  {
    // A lifted limit that the file no longer needs should go, not linger as a licence.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    settings: { layering: { root: import.meta.dirname } },
  },
  {
    files: ['**/*.ts', '**/*.js'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
  },
  // Components and rune modules (*.svelte.ts) go through Svelte's parser, which hands <script lang="ts">
  // to typescript-eslint.
  ...svelte.configs.base,
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['main/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.svelte', 'eslint.config.js', 'scripts/lint/*.js'],
    plugins: { '@typescript-eslint': tseslint.plugin, local },
    rules: CORRECTNESS,
  },
  // `x = x` is how Svelte 4 style code asks for an update; svelte.configs.base turns this off for components.
  { files: ['**/*.svelte'], rules: { 'no-self-assign': 'off' } },
  { files: ['main/**/*.ts', 'renderer/**/*.ts'], rules: SIZE },
  layer('main/common', ['package']),
  layer('main/engine', ['main/common', 'node', 'package']),
  layer('main/cli', ['main/common', 'main/engine', 'node', 'package']),
  layer('main/electron', ['main/common', 'main/engine', 'node', 'electron', 'package']),
  layer('main/preload', ['main/common', 'electron']),
  layer('renderer', ['main/common', 'package']),
  // Vite's config runs in Node at build time; it is not part of the page.
  { files: ['renderer/vite.config.ts'], rules: { 'local/layering': 'off' } },
)
