// Lint: typescript-eslint's type-checked rules on every TypeScript file, plus the layer rules: each folder of src
// imports only what the "May import" line of its README names, and the SDKs stay inside their adapters.
// Formatting is Prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// SDKs, by adapter: botbuilder and teams-ai only in src/teams, @azure/* only in src/azure and src/store, undici (the
// transport of the Azure adapter's hot path) only in src/azure.
const botbuilder = ['botbuilder', 'botbuilder-*', 'botframework-*', '@microsoft/teams-ai', '@microsoft/teams-ai/*'];
const undici = ['undici', 'undici/*'];
const azureSdk = ['@azure/*', ...undici];
const noBotbuilder = { group: botbuilder, message: 'botbuilder and teams-ai stay in src/teams.' };
const noAzureSdk = { group: azureSdk, message: '@azure/* stays in src/azure and src/store, undici in src/azure.' };
const noBotbuilderOrUndici = {
  group: [...botbuilder, ...undici],
  message: 'botbuilder and teams-ai stay in src/teams, undici in src/azure.',
};
const noSdks = {
  group: [...botbuilder, ...azureSdk],
  message: 'SDKs stay in their adapters: botbuilder in src/teams, @azure/* in src/azure and src/store, undici in src/azure.',
};

// The bot: the folders of src and its top-level modules.
const FOLDERS = [
  'alerts',
  'app',
  'azure',
  'azure-monitor',
  'cards',
  'changes',
  'demo',
  'directory',
  'intents',
  'network',
  'simulator',
  'store',
  'teams',
];
const LEAVES = ['clock', 'command-names', 'config', 'errors', 'input-problems', 'log', 'settle'];

/**
 * The import rule of one folder, from what it may import: whole folders, some modules of a folder (`parts`,
 * globs relative to that folder), top-level modules, and top-level modules for their types only (`leafTypes`).
 * Everything else of the bot is refused, at any depth. One block per folder, SDKs included: flat config
 * replaces a rule's options when blocks overlap, it does not merge them.
 */
function mayImport(name, { sdks, folders = [], parts = {}, leaves = [], leafTypes = [] }) {
  const message = `Not in the "May import" line of src/${name}/README.md.`;
  const refused = [
    ...FOLDERS.filter((f) => f !== name && !folders.includes(f) && !(f in parts)).map((f) => `**/${f}/**`),
    ...Object.entries(parts).flatMap(([f, modules]) => [`**/${f}/**`, ...modules.map((m) => `!**/${f}/${m}`)]),
    ...LEAVES.filter((l) => !leaves.includes(l) && !leafTypes.includes(l)).map((l) => `**/${l}`),
  ];
  const typesOnly = leafTypes.map((l) => `**/${l}`);
  return {
    files: [`src/${name}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            sdks,
            { group: refused, message },
            ...(typesOnly.length > 0 ? [{ group: typesOnly, allowTypeImports: true, message: `${message} Types only.` }] : []),
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'node_modules/**', 'test-artifacts/**', 'appPackage/build/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  // The domain.
  mayImport('network', { sdks: noSdks, leaves: ['errors', 'command-names'] }),
  mayImport('directory', { sdks: noSdks, leaves: ['errors', 'command-names'] }),
  mayImport('changes', {
    sdks: noSdks,
    folders: ['network', 'directory'],
    leaves: ['errors', 'clock', 'command-names'],
    leafTypes: ['log'],
  }),
  mayImport('alerts', {
    sdks: noSdks,
    folders: ['network', 'directory'],
    parts: { changes: ['change-request', 'change-events', 'id-generator'] },
    leaves: ['errors', 'clock', 'command-names'],
    leafTypes: ['log'],
  }),
  // What was asked, and how it is shown.
  mayImport('intents', {
    sdks: noSdks,
    parts: {
      changes: ['kinds', 'kinds/**', 'kind-fields', 'change-kind'],
      network: ['ip-prefix', 'arm-id'],
      directory: ['rights', 'suggest'],
      alerts: ['alert-conditions', 'silence-duration', 'alert'],
    },
    leaves: ['errors', 'command-names'],
  }),
  mayImport('cards', { sdks: noSdks, folders: ['intents', 'changes', 'network', 'alerts'], leaves: ['errors', 'command-names'] }),
  // The use cases.
  mayImport('app', {
    sdks: noSdks,
    folders: ['alerts', 'changes', 'network', 'directory', 'intents', 'cards'],
    leaves: ['errors', 'log', 'clock', 'settle', 'command-names'],
  }),
  // Azure Monitor in: common-schema alerts from an action group → the alert intake.
  mayImport('azure-monitor', {
    sdks: noSdks,
    folders: ['network', 'directory'],
    parts: { alerts: ['alert', 'alert-conditions', 'alert-workflow', 'silence-duration'] },
    leaves: ['errors', 'input-problems'],
    leafTypes: ['log', 'clock'],
  }),
  // The adapters.
  mayImport('teams', { sdks: noAzureSdk, folders: ['app', 'azure-monitor'], leaves: ['config', 'log', 'clock', 'input-problems'] }),
  mayImport('azure', { sdks: noBotbuilder, folders: ['network', 'changes'], leaves: ['errors', 'log', 'clock', 'settle'] }),
  mayImport('store', {
    sdks: noBotbuilderOrUndici,
    folders: ['changes', 'alerts'],
    parts: { azure: ['credentials'] },
    leaves: ['errors', 'log', 'clock', 'settle'],
  }),
  // The top-level modules (the composition root, config, the leaves): any folder of the bot, no SDK directly.
  { files: ['src/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [noSdks] }] } },
  // Demo mode, and the simulator that models Azure on its own (a bug in the bot cannot hide behind the same bug there).
  mayImport('demo', { sdks: noSdks, folders: ['directory'], leaves: ['errors', 'log'] }),
  mayImport('simulator', {
    sdks: noSdks,
    parts: { demo: ['customers'] },
    leaves: ['log', 'clock', 'errors', 'command-names'],
  }),
);
