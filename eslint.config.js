import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', '.vite', 'dist', 'out', 'test-results', 'playwright-report', 'e2e/artifacts', '.wine'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The renderer never reaches native code or Node: only the typed contract, as types.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/native-bridge/*'], allowTypeImports: true, message: 'The renderer may only import types from native-bridge.' },
            { group: ['**/electron/*', 'electron', 'node:*', 'fs', 'path', 'child_process'], message: 'The renderer never imports Node or Electron.' },
          ],
        },
      ],
    },
  },
  {
    // Electron's security checklist, kept by the linter: no window may turn off isolation or the sandbox.
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          ['nodeIntegration', true],
          ['nodeIntegrationInSubFrames', true],
          ['nodeIntegrationInWorker', true],
          ['contextIsolation', false],
          ['sandbox', false],
          ['webSecurity', false],
          ['allowRunningInsecureContent', true],
          ['webviewTag', true],
        ].map(([key, value]) => ({
          selector: `Property[key.name='${key}'][value.value=${value}]`,
          message: `${key}: ${value} breaks Electron's security checklist.`,
        })),
        {
          selector: "CallExpression[callee.property.name='openExternal']",
          message: 'shell.openExternal only through windows.ts, for isAllowedExternal URLs.',
        },
      ],
    },
  },
);
