// Does stream churn disturb the pulse backend? On a private server, a long stream plays
// while `speaker-test -D pulse -l 0` opens and closes streams in a loop for N seconds.
// Prints how often the backend thought it lost the server, how many events the long
// stream's session saw (both should be 0), and how many sessions the churn created
// (the backend kept following), against pactl's own count of removed sink-inputs.
//
// Run: npm run bench:pulse-churn -- [pulseaudio|pipewire] [seconds]   (default pulseaudio 30)
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { PulseFlavour } from '../native-bridge/pulse/testing/test-server';
import { createPulseBackend } from '../native-bridge/pulse/backend';
import { PULSE_FLAVOURS, startPulseTestServer } from '../native-bridge/pulse/testing/test-server';

async function main(): Promise<void> {
  const flavour = (process.argv[2] ?? 'pulseaudio') as PulseFlavour;
  if (!PULSE_FLAVOURS.includes(flavour)) throw new Error(`flavour must be one of ${PULSE_FLAVOURS.join(', ')}`);
  const seconds = Number(process.argv[3] ?? 30);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('seconds must be a positive number');

  const server = await startPulseTestServer({ flavour });
  const warnings: string[] = [];
  const backend = await createPulseBackend({ server: server.server, onWarning: (message) => warnings.push(message) });
  const subscriber = spawn('pactl', ['subscribe'], { env: server.clientEnv, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    for (const device of await backend.listDevices()) await backend.listSessions(device.id);
    const long = await server.play({ appName: 'Churn Bench Music', pid: 7401 });
    let music: string | undefined;
    while (!music) {
      music = (await backend.listSessions('sink:sndmix_test_sink')).find((session) => session.pid === 7401)?.id;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    let musicEvents = 0;
    let created = 0;
    backend.subscribe((event) => {
      if ('sessionId' in event && event.sessionId === music) musicEvents++;
      if (event.type === 'session-created') created++;
    });
    let removedByPactl = 0;
    createInterface({ input: subscriber.stdout }).on('line', (line) => {
      if (/'remove' on sink-input/.test(line)) removedByPactl++;
    });
    const churn = spawn('speaker-test', ['-D', 'pulse', '-l', '0', '-c', '2', '-t', 'sine', '-P', '2'], { env: server.clientEnv, stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    churn.kill('SIGKILL');
    await long.stop();
    const lost = warnings.filter((warning) => warning.startsWith('lost the PulseAudio server')).length;
    console.log(`${flavour}, ${seconds} s of speaker-test -l 0 beside a long stream:`);
    console.log(`  lost-server reconnects: ${lost}`);
    console.log(`  events on the long stream's session: ${musicEvents}`);
    console.log(`  sessions created by the churn: ${created} (sink-inputs pactl saw removed: ${removedByPactl})`);
  } finally {
    subscriber.kill();
    await backend.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
