import { startPulseTestServer } from './native-bridge/pulse/testing/test-server';
import { runCli } from './cli/main';
const server = await startPulseTestServer();
process.env.PULSE_SERVER = server.server;
const io = { stdout: (t: string) => process.stdout.write(t), stderr: (t: string) => process.stderr.write(t), stop: new AbortController().signal };
console.log(await runCli(['check', '--json', ...process.argv.slice(2)], io));
await server.stop();
