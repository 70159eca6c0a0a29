// The import table in eslint.config.js, checked on code that breaks it: `npm run lint`
// fails on an import across the layers, and lets the shared modules through.
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const eslint = new ESLint();
// Loading the config and typescript-eslint takes seconds on a busy machine: once, up front.
beforeAll(() => eslint.lintText('export {};\n', { filePath: 'native-bridge/x.ts' }), 60_000);

/** The layering messages ESLint gives for one import written in a file at `filePath`. */
async function refusals(filePath: string, specifier: string): Promise<string[]> {
  const code = `import * as imported from '${specifier}';\nexport const used = imported;\n`;
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('layering (eslint.config.js)', () => {
  it.each([
    ['native-bridge/sim/x.ts', '../../core/engine-host', /below core/],
    ['native-bridge/coreaudio/x.ts', '../../electron/main', /transport/],
    ['native-bridge/pulse/x.ts', '../../renderer/main', /transport/],
    ['native-bridge/pulse/x.ts', '../sim/engine', /sim\/ is a backend of its own/],
    ['native-bridge/pulse/x.ts', '../coreaudio/system', /Windows-only/],
    ['native-bridge/coreaudio/x.ts', '../sim/system', /sim\/ is a backend of its own/],
    ['native-bridge/sim/x.ts', '../coreaudio/com-system', /only through the OS seam/],
    ['native-bridge/sim/x.ts', '../com/runtime', /only through com\/guid and com\/hresult/],
    ['native-bridge/sim/x.test.ts', '../../core/engine-host', /core\/mixer-view only/],
    ['native-bridge/windows-rules/x.ts', '../coreaudio/backend', /Windows-only/],
    ['core/x.ts', '../web/server', /below the transports/],
    ['renderer/x.ts', '../core/engine-host', /only the contract/],
    ['base/x.ts', '../native-bridge/types', /project-independent/],
  ])('refuses %s importing %s', async (file, specifier, message) => {
    expect(await refusals(file, specifier)).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ['native-bridge/sim/x.ts', '../coreaudio/system'],
    ['native-bridge/sim/x.ts', '../coreaudio/backend'],
    ['native-bridge/sim/x.ts', '../com/hresult'],
    ['native-bridge/pulse/x.ts', '../windows-rules/session-identity'],
    ['native-bridge/pulse/x.ts', '../session-events'],
    ['native-bridge/coreaudio/x.ts', '../com/runtime'],
    ['native-bridge/sim/x.test.ts', '../../core/mixer-view'],
    ['native-bridge/coreaudio/x.test.ts', '../sim/system'],
    ['renderer/x.ts', '../core/contract'],
    ['renderer/x.ts', '../core/mixer-view'],
    ['core/x.ts', '../native-bridge/sim/simulated-windows'],
    ['core/x.ts', '../base/json-store'],
    ['native-bridge/pulse/x.ts', '../../base/json-store'],
  ])('lets %s import %s', async (file, specifier) => {
    expect(await refusals(file, specifier)).toEqual([]);
  });
});
