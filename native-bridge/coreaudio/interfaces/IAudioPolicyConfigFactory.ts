// The activation factory of the undocumented Windows Runtime class
// Windows.Media.Internal.AudioPolicyConfig: the per-app default endpoint that Windows' own
// volume mixer and EarTrumpet set. No SDK header declares it, so the conformance probe
// cannot check it (HEADER_GAPS): its method order is EarTrumpet's declaration
// (Interop/MMDeviceAPI/IAudioPolicyConfigFactoryVariantFor21H2.cs and ...ForDownlevel.cs,
// the same order under both IIDs), pinned by IAudioPolicyConfigFactory.test.ts. The
// methods before SetPersistedDefaultAudioEndpoint are never called; they only hold slots.
import { defineInterface, int, method, outPointer, pointer, uint } from '../../com/interface';
import { IInspectable } from './IInspectable';

export const AUDIO_POLICY_CONFIG_CLASS = 'Windows.Media.Internal.AudioPolicyConfig';

/**
 * The factory's IID changed in build 21390 (Windows 11's development line; EarTrumpet's
 * OSVersions.Version21H2): from that build on the first, before it the second.
 */
export const AUDIO_POLICY_CONFIG_IIDS = {
  from21390: '{AB3D4648-E242-459F-B02F-541C70306324}',
  downlevel: '{2A59116D-6C4F-45E0-A74F-707E3FEF9258}',
} as const;
export const AUDIO_POLICY_CONFIG_IID_CHANGE_BUILD = 21390;

/** The IID this Windows build's factory answers to (EarTrumpet's choice), the other one after it. */
export function audioPolicyConfigIids(build: number): readonly string[] {
  const { from21390, downlevel } = AUDIO_POLICY_CONFIG_IIDS;
  return build >= AUDIO_POLICY_CONFIG_IID_CHANGE_BUILD ? [from21390, downlevel] : [downlevel, from21390];
}

/**
 * The device id the factory takes and gives: the endpoint's MMDevice interface path,
 * `\\?\SWD#MMDEVAPI#<IMMDevice::GetId>#<KSCATEGORY of the flow>`.
 */
export const MMDEVAPI_INTERFACE_PREFIX = '\\\\?\\SWD#MMDEVAPI#';
export const DEVINTERFACE_AUDIO = {
  render: '{e6327cad-dcec-4949-ae8a-991e976a79d2}',
  capture: '{2eef81be-33fa-4800-9670-1cd474972c3f}',
} as const;

export function policyDeviceId(deviceId: string, flow: keyof typeof DEVINTERFACE_AUDIO): string {
  return `${MMDEVAPI_INTERFACE_PREFIX}${deviceId}#${DEVINTERFACE_AUDIO[flow]}`;
}

/** The endpoint id inside an interface path (case-insensitive suffixes); a bare id as it is. */
export function endpointIdOfPolicyDeviceId(text: string): string {
  let id = text.startsWith(MMDEVAPI_INTERFACE_PREFIX) ? text.slice(MMDEVAPI_INTERFACE_PREFIX.length) : text;
  for (const category of Object.values(DEVINTERFACE_AUDIO)) {
    const suffix = `#${category}`;
    if (id.toLowerCase().endsWith(suffix)) id = id.slice(0, -suffix.length);
  }
  return id;
}

const slotOnly = () => method();

export const IAudioPolicyConfigFactory = defineInterface({
  name: 'IAudioPolicyConfigFactory',
  // Either IID names this layout; activation asks for the build's (audioPolicyConfigIids).
  iid: AUDIO_POLICY_CONFIG_IIDS.from21390,
  parent: IInspectable,
  methods: {
    add_CtxVolumeChange: slotOnly(),
    remove_CtxVolumeChanged: slotOnly(),
    add_RingerVibrateStateChanged: slotOnly(),
    remove_RingerVibrateStateChange: slotOnly(),
    SetVolumeGroupGainForId: slotOnly(),
    GetVolumeGroupGainForId: slotOnly(),
    GetActiveVolumeGroupForEndpointId: slotOnly(),
    GetVolumeGroupsForEndpoint: slotOnly(),
    GetCurrentVolumeContext: slotOnly(),
    SetVolumeGroupMuteForId: slotOnly(),
    GetVolumeGroupMuteForId: slotOnly(),
    SetRingerVibrateState: slotOnly(),
    GetRingerVibrateState: slotOnly(),
    SetPreferredChatApplication: slotOnly(),
    ResetPreferredChatApplication: slotOnly(),
    GetPreferredChatApplication: slotOnly(),
    GetCurrentChatApplications: slotOnly(),
    add_ChatContextChanged: slotOnly(),
    remove_ChatContextChanged: slotOnly(),
    SetPersistedDefaultAudioEndpoint: method(uint('UINT32'), int('EDataFlow'), int('ERole'), pointer('HSTRING')),
    GetPersistedDefaultAudioEndpoint: method(uint('UINT32'), int('EDataFlow'), int('ERole'), outPointer('HSTRING*')),
    ClearAllPersistedApplicationDefaultEndpoints: method(),
  },
});
