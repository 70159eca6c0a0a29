// The meter worker's entry (a chunk of its own: meter-host.ts starts it): every meter of the
// page is drawn here, on OffscreenCanvas, from peaks of its own channel (worker-meters.ts).
import { connectionText } from '../transport/connection-text';
import { WebSocketMixerApi } from '../transport/ws-client';
import { WorkerMeters } from './worker-meters';

const report = (problem: string) => console.error(problem);
const meters = new WorkerMeters({
  connect: (url) => {
    const socket = new WebSocketMixerApi({ url, text: connectionText });
    socket.onProblem((problem) => report(`meter worker: ${problem}`));
    return socket;
  },
  report,
  beforeFrame: typeof requestAnimationFrame === 'function' ? (callback) => requestAnimationFrame(callback) : undefined,
});
addEventListener('message', (event: MessageEvent) => meters.receive(event.data));
