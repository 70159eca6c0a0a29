// Every COM interface the coreaudio backend declares, for the conformance probe.
import type { InterfaceDef } from '../../com/interface';
import { IUnknown } from '../../com/interface';
import { IAudioClient } from './IAudioClient';
import { IAudioEndpointVolume } from './IAudioEndpointVolume';
import { IAudioEndpointVolumeCallback } from './IAudioEndpointVolumeCallback';
import { IAudioMeterInformation } from './IAudioMeterInformation';
import { IAudioPolicyConfigFactory } from './IAudioPolicyConfigFactory';
import { IAudioSessionControl } from './IAudioSessionControl';
import { IAudioSessionControl2 } from './IAudioSessionControl2';
import { IAudioSessionEnumerator } from './IAudioSessionEnumerator';
import { IAudioSessionEvents } from './IAudioSessionEvents';
import { IAudioSessionManager } from './IAudioSessionManager';
import { IAudioSessionManager2 } from './IAudioSessionManager2';
import { IAudioSessionNotification } from './IAudioSessionNotification';
import { IAudioVolumeDuckNotification } from './IAudioVolumeDuckNotification';
import { IChannelAudioVolume } from './IChannelAudioVolume';
import { IInspectable } from './IInspectable';
import { IMMDevice } from './IMMDevice';
import { IMMDeviceCollection } from './IMMDeviceCollection';
import { CLSID_MMDeviceEnumerator, IMMDeviceEnumerator } from './IMMDeviceEnumerator';
import { IMMEndpoint } from './IMMEndpoint';
import { IMMNotificationClient } from './IMMNotificationClient';
import { IPropertyStore } from './IPropertyStore';
import { ISimpleAudioVolume } from './ISimpleAudioVolume';

export const INTERFACES: readonly InterfaceDef[] = [
  IUnknown,
  IMMDeviceEnumerator,
  IMMDeviceCollection,
  IMMDevice,
  IMMEndpoint,
  IPropertyStore,
  IAudioEndpointVolume,
  IAudioSessionManager,
  IAudioSessionManager2,
  IAudioSessionEnumerator,
  IAudioSessionControl,
  IAudioSessionControl2,
  ISimpleAudioVolume,
  IChannelAudioVolume,
  IAudioMeterInformation,
  IAudioClient,
  IAudioSessionNotification,
  IAudioSessionEvents,
  IMMNotificationClient,
  IAudioEndpointVolumeCallback,
  IAudioVolumeDuckNotification,
  IInspectable,
  IAudioPolicyConfigFactory,
];

export const CLASSES: Readonly<Record<string, string>> = { MMDeviceEnumerator: CLSID_MMDeviceEnumerator };
