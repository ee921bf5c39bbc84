// Lint: typescript-eslint's type-checked rules on every TypeScript file, plus the layer rules that keep the
// simulator independent of the bot and the SDKs inside their adapters. Formatting is Prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sdk = ['botbuilder', 'botbuilder-*', 'botframework-*', '@microsoft/teams-ai', '@microsoft/teams-ai/*'];
const azure = ['@azure/*'];
const botDomain = ['**/changes/**', '**/network/**', '**/intents/**', '**/app/**', '**/teams/**', '**/cards/**', '**/directory/**', '**/azure/**', '**/store/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-artifacts/**', 'appPackage/build/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/simulator/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: botDomain, message: 'The simulator models Azure on its own: it imports nothing of the bot.' }] }] },
  },
  {
    files: ['src/changes/**/*.ts', 'src/network/**/*.ts', 'src/intents/**/*.ts', 'src/cards/**/*.ts', 'src/directory/**/*.ts', 'src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: [...sdk, ...azure], message: 'SDKs stay in their adapters: botbuilder in src/teams, @azure/* in src/azure and src/store.' }] },
      ],
    },
  },
  {
    files: ['src/azure/**/*.ts', 'src/store/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: sdk, message: 'botbuilder stays in src/teams.' }] }] },
  },
);
