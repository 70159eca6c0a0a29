// Core Audio enum values and property keys, each under its SDK name so the conformance
// probe can check it against the headers.
import type { PropertyKey } from '../com/interface';
import type { DeviceRole, DeviceState, Flow, SessionState } from '../types';

export interface NamedConstant {
  readonly name: string;
  readonly value: number;
}

function constants<const T extends Record<string, number>>(table: T): T {
  return table;
}

export const EDataFlow = constants({ eRender: 0, eCapture: 1, eAll: 2 });
export const ERole = constants({ eConsole: 0, eMultimedia: 1, eCommunications: 2 });
export const DeviceStateFlag = constants({
  DEVICE_STATE_ACTIVE: 0x1,
  DEVICE_STATE_DISABLED: 0x2,
  DEVICE_STATE_NOTPRESENT: 0x4,
  DEVICE_STATE_UNPLUGGED: 0x8,
  DEVICE_STATEMASK_ALL: 0xf,
});
export const AudioSessionState = constants({
  AudioSessionStateInactive: 0,
  AudioSessionStateActive: 1,
  AudioSessionStateExpired: 2,
});
export const AudioSessionDisconnectReason = constants({
  DisconnectReasonDeviceRemoval: 0,
  DisconnectReasonServerShutdown: 1,
  DisconnectReasonFormatChanged: 2,
  DisconnectReasonSessionLogoff: 3,
  DisconnectReasonSessionDisconnected: 4,
  DisconnectReasonExclusiveModeOverride: 5,
});
export const Misc = constants({
  STGM_READ: 0x0,
  AUDCLNT_SHAREMODE_SHARED: 0,
  AUDCLNT_STREAMFLAGS_CROSSPROCESS: 0x10000,
  AUDCLNT_STREAMFLAGS_NOPERSIST: 0x80000,
  ENDPOINT_HARDWARE_SUPPORT_VOLUME: 0x1,
  ENDPOINT_HARDWARE_SUPPORT_MUTE: 0x2,
  ENDPOINT_HARDWARE_SUPPORT_METER: 0x4,
});

/** Every enum value above, for the conformance probe. */
export const NAMED_CONSTANTS: readonly NamedConstant[] = [
  EDataFlow,
  ERole,
  DeviceStateFlag,
  AudioSessionState,
  AudioSessionDisconnectReason,
  Misc,
].flatMap((table) => Object.entries(table).map(([name, value]) => ({ name, value })));

export const PropertyKeys = {
  /** "Speakers (Realtek High Definition Audio)": what Sndvol shows. */
  PKEY_Device_FriendlyName: { fmtid: '{A45C254E-DF1C-4EFD-8020-67D146A850E0}', pid: 14 },
  /** "Speakers". */
  PKEY_Device_DeviceDesc: { fmtid: '{A45C254E-DF1C-4EFD-8020-67D146A850E0}', pid: 2 },
  /** The adapter: "Realtek High Definition Audio". */
  PKEY_DeviceInterface_FriendlyName: { fmtid: '{026E516E-B814-414B-83CD-856D6FEF4822}', pid: 2 },
  PKEY_AudioEndpoint_FormFactor: { fmtid: '{1DA5D803-D492-4EDD-8C23-E0C0FFEE7F0E}', pid: 0 },
} as const satisfies Record<string, PropertyKey>;

export const FLOW_TO_EDATAFLOW: Record<Flow, number> = { render: EDataFlow.eRender, capture: EDataFlow.eCapture };

export function flowOf(dataFlow: number): Flow {
  if (dataFlow === EDataFlow.eRender) return 'render';
  if (dataFlow === EDataFlow.eCapture) return 'capture';
  throw new RangeError(`not a single data flow: ${dataFlow}`);
}

export const ROLE_TO_EROLE: Record<DeviceRole, number> = {
  console: ERole.eConsole,
  multimedia: ERole.eMultimedia,
  communications: ERole.eCommunications,
};

export function roleOf(role: number): DeviceRole {
  const found = (Object.keys(ROLE_TO_EROLE) as DeviceRole[]).find((name) => ROLE_TO_EROLE[name] === role);
  if (!found) throw new RangeError(`not an ERole: ${role}`);
  return found;
}

export function deviceStateOf(state: number): DeviceState {
  if (state & DeviceStateFlag.DEVICE_STATE_ACTIVE) return 'active';
  if (state & DeviceStateFlag.DEVICE_STATE_DISABLED) return 'disabled';
  if (state & DeviceStateFlag.DEVICE_STATE_UNPLUGGED) return 'unplugged';
  return 'notpresent';
}

export function sessionStateOf(state: number): SessionState {
  if (state === AudioSessionState.AudioSessionStateActive) return 'active';
  if (state === AudioSessionState.AudioSessionStateExpired) return 'expired';
  return 'inactive';
}
