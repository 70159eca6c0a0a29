import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { FuseV1Options } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import forgeConfig from '../forge.config';

describe('the fuses', () => {
  it("are the ones Forge's FusesPlugin flips: RunAsNode, NODE_OPTIONS and --inspect off, cookies encrypted, ASAR only and checked", () => {
    const plugin = forgeConfig.plugins?.find((candidate): candidate is FusesPlugin => candidate instanceof FusesPlugin);
    if (!plugin) throw new Error('forge.config.ts has no FusesPlugin');
    const config = (plugin as unknown as { fusesConfig: Record<number, boolean> }).fusesConfig;
    expect(config[FuseV1Options.RunAsNode]).toBe(false);
    expect(config[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(config[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(config[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(config[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(config[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(config[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
  });
});
