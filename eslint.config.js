import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// ---- Layering: which folder may import what -------------------------------------------------
// native-bridge (backends) -> core (engine host, contract) -> transports (electron/, web/) and
// cli/ -> renderer/. A folder never imports a layer above it; the backends (com/, coreaudio/,
// pulse/, sim/) reach each other only through the shared modules named here; base/ holds
// project-independent utilities that import nothing of the project and that anything may import.
// Patterns are gitignore-style, matched against the import specifier (relative paths included).

// Shared by every backend (no pattern below forbids them): native-bridge/types.ts (the one
// backend interface), native-bridge/session-events.ts (the event vocabulary) and
// native-bridge/windows-rules/ (Windows' session rules); com/guid and com/hresult for the sim.

const LAYERS_ABOVE = {
  core: { group: ['**/core/**'], message: 'native-bridge is below core/: a backend never imports the engine host or the contract.' },
  transports: {
    group: ['**/electron/**', '**/web/**', '**/renderer/**', '**/cli/**'],
    message: 'A transport, the CLI and the renderer sit above this layer: never import them.',
  },
};

/** A backend folder may use another only through what is named here. */
function onlyThrough(folder, allowed, why) {
  return { group: [`**/${folder}/**`, ...allowed.map((path) => `!**/${folder}/${path}`)], message: why };
}

const COM_SHARED = ['guid', 'hresult'];
const RULES = {
  com: onlyThrough('com', COM_SHARED, 'Outside coreaudio/, com/ is reached only through com/guid and com/hresult (Windows GUIDs and HRESULTs).'),
  coreaudio: onlyThrough('coreaudio', [], 'coreaudio/ is Windows-only: no other backend imports it.'),
  coreaudioForSim: onlyThrough(
    'coreaudio',
    ['system', 'backend'],
    'The sim reaches coreaudio/ only through the OS seam (coreaudio/system) it implements and the logic (coreaudio/backend) that runs on it.',
  ),
  pulse: onlyThrough('pulse', [], 'pulse/ is a backend of its own: no other backend imports it.'),
  sim: onlyThrough('sim', [], 'sim/ is a backend of its own: no other backend imports it.'),
  project: {
    group: ['**/native-bridge/**', '**/core/**', '**/electron/**', '**/web/**', '**/renderer/**', '**/cli/**', '../**'],
    message: 'base/ is project-independent: it imports nothing of the project.',
  },
};

/** Zone by zone, every pattern that applies (ESLint replaces, not merges, one rule's options per file). */
const ZONES = [
  { files: ['native-bridge/*.ts'], patterns: [LAYERS_ABOVE.core, LAYERS_ABOVE.transports] },
  { files: ['native-bridge/com/**'], patterns: [LAYERS_ABOVE.core, LAYERS_ABOVE.transports, RULES.coreaudio, RULES.pulse, RULES.sim] },
  {
    files: ['native-bridge/coreaudio/**'],
    patterns: [LAYERS_ABOVE.core, LAYERS_ABOVE.transports, RULES.pulse, RULES.sim],
    // Its tests run the logic on the simulated Windows: that is their OS.
    testsMayUse: [RULES.sim],
  },
  { files: ['native-bridge/pulse/**'], patterns: [LAYERS_ABOVE.core, LAYERS_ABOVE.transports, RULES.com, RULES.coreaudio, RULES.sim] },
  { files: ['native-bridge/sim/**'], patterns: [LAYERS_ABOVE.core, LAYERS_ABOVE.transports, RULES.com, RULES.coreaudioForSim, RULES.pulse] },
  {
    files: ['native-bridge/windows-rules/**'],
    patterns: [LAYERS_ABOVE.core, LAYERS_ABOVE.transports, RULES.com, RULES.coreaudio, RULES.pulse, RULES.sim],
  },
  {
    files: ['core/**'],
    patterns: [{ group: LAYERS_ABOVE.transports.group, message: 'core/ sits below the transports, the CLI and the renderer.' }],
  },
  { files: ['base/**'], patterns: [RULES.project] },
];

/** native-bridge tests may read what a mixer makes of a backend's records (R11, R12, R20): core/mixer-view, nothing else of core/. */
const TESTS_MAY_USE_MIXER_VIEW = {
  group: ['**/core/**', '!**/core/mixer-view'],
  message: 'A native-bridge test may import core/mixer-view only (what the mixer shows), never the rest of core/.',
};

function layering() {
  return ZONES.flatMap(({ files, patterns, testsMayUse = [] }) => {
    const tests = files.map((glob) => (glob.endsWith('*.ts') ? glob.replace(/\*\.ts$/, '*.test.ts') : `${glob}/*.test.ts`));
    const forTests = patterns
      .filter((pattern) => !testsMayUse.includes(pattern))
      .map((pattern) => (pattern === LAYERS_ABOVE.core ? TESTS_MAY_USE_MIXER_VIEW : pattern));
    const zone = [{ files, rules: { 'no-restricted-imports': ['error', { patterns }] } }];
    if (files.some((glob) => glob.startsWith('native-bridge/'))) {
      zone.push({ files: tests, rules: { 'no-restricted-imports': ['error', { patterns: forTests }] } });
    }
    return zone;
  });
}

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
  ...layering(),
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
            {
              group: ['**/core/**', '!**/core/contract', '!**/core/mixer-view'],
              message: 'From core/, the renderer imports only the contract (core/contract) and the mixer view (core/mixer-view).',
            },
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
