// Test-only: audio streams of our own (IAudioClient), so Wine has sessions to show.
// Under Wine a process sees only its own sessions.
import { CLSCTX_ALL, type ComRef } from '../../com/interface';
import type { ComRuntime } from '../../com/runtime';
import { Misc } from '../constants';
import { IAudioClient } from '../interfaces/IAudioClient';
import { IChannelAudioVolume } from '../interfaces/IChannelAudioVolume';
import type { IMMDevice } from '../interfaces/IMMDevice';

const ONE_SECOND = 10_000_000n; // REFERENCE_TIME units of 100 ns

export class TestStream {
  private constructor(
    private readonly com: ComRuntime,
    readonly client: ComRef<typeof IAudioClient>,
    readonly sessionGuid: string,
  ) {}

  /** A shared-mode stream in the mix format, in the session with that GUID; not persisted. */
  static open(com: ComRuntime, device: ComRef<typeof IMMDevice>, sessionGuid: string): TestStream {
    const activated = com.invoke(device, 'Activate', IAudioClient, CLSCTX_ALL, 0n).out[0];
    if (!activated) throw new Error('IMMDevice.Activate(IAudioClient) gave nothing');
    const client = activated as ComRef<typeof IAudioClient>;
    const [format] = com.invoke(client, 'GetMixFormat').out;
    try {
      com.invoke(
        client,
        'Initialize',
        Misc.AUDCLNT_SHAREMODE_SHARED,
        Misc.AUDCLNT_STREAMFLAGS_NOPERSIST,
        ONE_SECOND,
        0n,
        format,
        sessionGuid,
      );
    } catch (error) {
      com.release(client);
      throw error;
    } finally {
      com.coTaskMemFree(format);
    }
    return new TestStream(com, client, sessionGuid);
  }

  start(): void {
    this.com.invoke(this.client, 'Start');
  }

  stop(): void {
    this.com.invoke(this.client, 'Stop');
  }

  /** The session's channel volumes through the stream (the only way Wine offers). */
  channelVolume(): ComRef<typeof IChannelAudioVolume> {
    const service = this.com.invoke(this.client, 'GetService', IChannelAudioVolume).out[0];
    if (!service) throw new Error('IAudioClient.GetService(IChannelAudioVolume) gave nothing');
    return service as ComRef<typeof IChannelAudioVolume>;
  }

  release(): void {
    this.com.release(this.client);
  }
}
