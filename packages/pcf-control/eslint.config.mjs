import eslintjs from '@eslint/js';
import microsoftPowerApps from '@microsoft/eslint-plugin-power-apps';
import pluginPromise from 'eslint-plugin-promise';
import globals from 'globals';
import typescriptEslint from 'typescript-eslint';

/** pcf-scripts runs ESLint with this file during every build; `npm run lint` runs the same rules. */
export default [
  { ignores: ['**/generated/', 'out/', 'node_modules/'] },
  eslintjs.configs.recommended,
  ...typescriptEslint.configs.recommended,
  pluginPromise.configs['flat/recommended'],
  microsoftPowerApps.configs.paCheckerHosted,
  {
    plugins: { '@microsoft/power-apps': microsoftPowerApps },
    languageOptions: {
      globals: { ...globals.browser, ComponentFramework: true },
      parserOptions: { ecmaVersion: 2022, sourceType: 'module' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Tests hold Dataverse URLs as fixtures (`<org>/WebResources/<name>`); the rule is about code that loads them.
    files: ['**/*.test.ts'],
    rules: { '@microsoft/power-apps/use-cached-webresource': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', 'bench/**/*.mjs', '*.config.*'],
    languageOptions: { globals: { ...globals.node } },
  },
];
