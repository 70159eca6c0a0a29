// The per-app default endpoint on Windows (system.ts AppEndpointPolicy) through the
// activation factory of Windows.Media.Internal.AudioPolicyConfig (RoGetActivationFactory),
// whose interface IID depends on the Windows build (interfaces/IAudioPolicyConfigFactory.ts).
// Activation asks for the build's IID first and the other after it; a Windows without the
// class, or whose factory answers neither (E_NOINTERFACE), has no per-app endpoint, and
// says so with the HRESULT.
import { release } from 'node:os';
import { describe } from './hresult-outcome';
import { E_NOINTERFACE, isComError, REGDB_E_CLASSNOTREG } from '../com/hresult';
import type { ComRef } from '../com/interface';
import type { ComRuntime } from '../com/runtime';
import type { WinRt } from '../com/winrt';
import type { Flow } from '../types';
import { FLOW_TO_EDATAFLOW, ROLE_TO_EROLE } from './constants';
import {
  AUDIO_POLICY_CONFIG_CLASS,
  audioPolicyConfigIids,
  endpointIdOfPolicyDeviceId,
  IAudioPolicyConfigFactory,
  policyDeviceId,
} from './interfaces/IAudioPolicyConfigFactory';
import type { AppEndpointPolicy, AppEndpointPolicyAbsent } from './system';

/** Both roles an app's streams are opened for, set together as Windows' own mixer does. */
const SET_ROLES = ['console', 'multimedia'] as const;

/** The Windows build number (22631 on Windows 11 23H2): Node's os.release() reads it with RtlGetVersion, which no manifest shims. */
export function windowsBuild(): number {
  return Number(release().split('.')[2] ?? 0) || 0;
}

export interface OpenedPolicy {
  policy: AppEndpointPolicy;
  /** The factory's IID that answered. */
  iid: string;
  release(): void;
}

export function openAppEndpointPolicy(com: ComRuntime, winRt: WinRt, build: number): OpenedPolicy | AppEndpointPolicyAbsent {
  const where = `Windows build ${build}`;
  for (const iid of audioPolicyConfigIids(build)) {
    let address: bigint;
    try {
      address = winRt.activationFactory(AUDIO_POLICY_CONFIG_CLASS, iid);
    } catch (error) {
      if (isComError(error, E_NOINTERFACE)) continue;
      if (isComError(error, REGDB_E_CLASSNOTREG)) return { unsupported: `${where} has no ${AUDIO_POLICY_CONFIG_CLASS} (REGDB_E_CLASSNOTREG)` };
      return { unsupported: `${AUDIO_POLICY_CONFIG_CLASS} could not be activated on ${where}: ${describe(error)}` };
    }
    const factory = com.adoptReference(address, IAudioPolicyConfigFactory);
    return { policy: comPolicy(com, winRt, factory), iid, release: () => com.release(factory) };
  }
  return { unsupported: `the ${AUDIO_POLICY_CONFIG_CLASS} factory of ${where} answers neither known interface (E_NOINTERFACE)` };
}

function comPolicy(com: ComRuntime, winRt: WinRt, factory: ComRef<typeof IAudioPolicyConfigFactory>): AppEndpointPolicy {
  return {
    persistedEndpoint: (pid: number, flow: Flow) => {
      const [hstring] = com.invoke(factory, 'GetPersistedDefaultAudioEndpoint', pid, FLOW_TO_EDATAFLOW[flow], ROLE_TO_EROLE.multimedia).out;
      try {
        const text = winRt.readString(hstring);
        return text === '' ? null : endpointIdOfPolicyDeviceId(text);
      } finally {
        winRt.deleteString(hstring);
      }
    },
    setPersistedEndpoint: async (pid: number, flow: Flow, deviceId: string | null) => {
      // An empty HSTRING (null) clears the app's endpoint: it follows the default again.
      const hstring = deviceId === null ? 0n : winRt.createString(policyDeviceId(deviceId, flow));
      try {
        // Off the main thread: Windows moves the app's streams, and its session notifications reach our sinks.
        for (const role of SET_ROLES) {
          await com.invokeOffThread(factory, 'SetPersistedDefaultAudioEndpoint', pid, FLOW_TO_EDATAFLOW[flow], ROLE_TO_EROLE[role], hstring);
        }
      } finally {
        winRt.deleteString(hstring);
      }
    },
  };
}
