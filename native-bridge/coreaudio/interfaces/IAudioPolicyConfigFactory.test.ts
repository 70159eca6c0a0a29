import { describe, expect, it } from 'vitest';
import {
  audioPolicyConfigIids,
  AUDIO_POLICY_CONFIG_IIDS,
  endpointIdOfPolicyDeviceId,
  IAudioPolicyConfigFactory,
  policyDeviceId,
} from './IAudioPolicyConfigFactory';
import { IInspectable } from './IInspectable';

describe('IAudioPolicyConfigFactory', () => {
  it('keeps IInspectable\'s six slots first and EarTrumpet\'s slots for the three methods it calls', () => {
    expect(['QueryInterface', 'AddRef', 'Release', 'GetIids', 'GetRuntimeClassName', 'GetTrustLevel'].map((name) => IInspectable.slot(name as never))).toEqual([0, 1, 2, 3, 4, 5]);
    // EarTrumpet declares 19 methods between IInspectable and these three.
    expect(IAudioPolicyConfigFactory.slot('SetPersistedDefaultAudioEndpoint')).toBe(25);
    expect(IAudioPolicyConfigFactory.slot('GetPersistedDefaultAudioEndpoint')).toBe(26);
    expect(IAudioPolicyConfigFactory.slot('ClearAllPersistedApplicationDefaultEndpoints')).toBe(27);
  });

  it('asks for the IID of the build first (EarTrumpet switches at build 21390), the other after it', () => {
    expect(audioPolicyConfigIids(19045)).toEqual([AUDIO_POLICY_CONFIG_IIDS.downlevel, AUDIO_POLICY_CONFIG_IIDS.from21390]);
    expect(audioPolicyConfigIids(21390)).toEqual([AUDIO_POLICY_CONFIG_IIDS.from21390, AUDIO_POLICY_CONFIG_IIDS.downlevel]);
    expect(audioPolicyConfigIids(26100)[0]).toBe('{AB3D4648-E242-459F-B02F-541C70306324}');
  });

  it('wraps an endpoint id in its MMDevice interface path per flow, and unwraps it', () => {
    const id = '{0.0.0.00000000}.{5153a9d0-0000-4000-8000-000000000001}';
    expect(policyDeviceId(id, 'render')).toBe(`\\\\?\\SWD#MMDEVAPI#${id}#{e6327cad-dcec-4949-ae8a-991e976a79d2}`);
    expect(policyDeviceId(id, 'capture')).toBe(`\\\\?\\SWD#MMDEVAPI#${id}#{2eef81be-33fa-4800-9670-1cd474972c3f}`);
    expect(endpointIdOfPolicyDeviceId(policyDeviceId(id, 'render').replace('{e6327cad-dcec', '{E6327CAD-DCEC'))).toBe(id);
    expect(endpointIdOfPolicyDeviceId(id)).toBe(id);
  });
});
