// How the simulated Windows tells its listeners (IMMNotificationClient,
// IAudioEndpointVolumeCallback, IAudioSessionNotification, IAudioSessionEvents, ducking):
// one way for all of them. Guarantees: every listener registered when the change happened
// is told once, in registration order, from a copy (a listener may unregister itself or
// another while being told); one that throws is reported and the others are still told.

export function tellEach<Listener>(
  listeners: Iterable<Listener>,
  deliver: (listener: Listener) => void,
  listenerFailed: (error: unknown) => void,
): void {
  for (const listener of [...listeners]) {
    try {
      deliver(listener);
    } catch (error) {
      listenerFailed(error);
    }
  }
}
