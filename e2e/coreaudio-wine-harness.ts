// Test-only, under Windows Node in the double's Wine prefix (bundled by coreaudio-wine.ts):
// `sndmix web --backend coreaudio` run by the CLI's own entry (runCli), unchanged, in this
// process, so that its CoCreateInstance reaches the Core Audio double, plus a scripting
// endpoint on loopback through which the Linux-side Playwright specs drive the double (its
// dbl_* exports: the double's state lives in this process). It also reads a session's
// volume and mute back through Core Audio, as any other client of it would. Never part of
// the product. Usage: node coreaudio-wine-harness.cjs <ready.json> <double.dll> <state dir>
import { renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCli } from '../cli/main';
import { CoreAudioDouble } from '../native-bridge/coreaudio/double/script';
import { openWindowsAudioSystem } from '../native-bridge/coreaudio/windows';
import { installTestPackage } from '../native-bridge/coreaudio/wine/names-checks';
import { HARNESS_ENDPOINTS } from './coreaudio-wine-endpoints';

/** The fixture reads the file as soon as it exists: it appears whole (written aside, then renamed). */
function writeReady(readyPath: string, content: object): void {
  writeFileSync(`${readyPath}.partial`, JSON.stringify(content));
  renameSync(`${readyPath}.partial`, readyPath);
}

async function main(readyPath: string, dllPath: string, stateDir: string): Promise<void> {
  const double = new CoreAudioDouble(dllPath);
  for (const endpoint of Object.values(HARNESS_ENDPOINTS)) double.addEndpoint(endpoint.id, endpoint.name, 'render');
  double.setDefault('render', 'all', HARNESS_ENDPOINTS.speakers.id);

  // Ended by the fixture killing the process: the harness keeps no state worth saving.
  const stop = new AbortController();
  let webUrl: string | null = null;
  let exited = false;
  const cli = runCli(['web', '--backend', 'coreaudio', '--state-dir', stateDir], {
    stdout: (text) => {
      webUrl ??= /https?:\/\/\S+/.exec(text)?.[0] ?? null;
      process.stdout.write(text);
    },
    stderr: (text) => process.stderr.write(text),
    stop: stop.signal,
  }).finally(() => (exited = true));

  /** A session's volume and mute as Core Audio answers them to another client (this harness). */
  // One system for the harness's life: it registers nothing, so nothing of it is ever called back.
  const system = openWindowsAudioSystem();
  const sessionLevels = (deviceId: string, pid: number) => {
    const endpoint = system.openEndpoint(deviceId);
    const controls = endpoint.sessionManager().listSessions();
    try {
      const control = controls.find((candidate) => candidate.owner().pid === pid);
      return control ? control.volume() : null;
    } finally {
      for (const control of controls) control.release();
      endpoint.release();
    }
  };

  const scripting = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      void (async () => {
        try {
          const { method, args } = JSON.parse(body) as { method: string; args: unknown[] };
          let result: unknown;
          if (method === 'sessionLevels') result = sessionLevels(args[0] as string, args[1] as number);
          else if (method === 'harnessPid') result = process.pid;
          else if (method === 'installTestPackage') result = installTestPackage();
          else {
            const member = (double as unknown as Record<string, unknown>)[method];
            if (typeof member !== 'function' || method === 'constructor') throw new Error(`the double has no method ${method}`);
            result = await (member as (...values: unknown[]) => unknown).apply(double, args);
          }
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: result ?? null }));
        } catch (error) {
          response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
        }
      })();
    });
  });
  await new Promise<void>((listening) => scripting.listen(0, '127.0.0.1', listening));
  const scriptUrl = `http://127.0.0.1:${(scripting.address() as AddressInfo).port}/`;

  for (let waited = 0; webUrl === null; waited += 50) {
    if (exited || waited > 60_000) throw new Error(`sndmix web printed no address (${exited ? `it exited with ${await cli}` : 'in 60 s'})`);
    await new Promise((done) => setTimeout(done, 50));
  }
  writeReady(readyPath, { webUrl, scriptUrl });
  const code = await cli;
  scripting.close();
  process.exit(code);
}

const [readyPath, dllPath, stateDir] = process.argv.slice(2);
if (!readyPath || !dllPath || !stateDir) throw new Error('usage: coreaudio-wine-harness.cjs <ready.json> <double.dll> <state dir>');
main(readyPath, dllPath, stateDir).catch((error: unknown) => {
  writeReady(readyPath, { error: String((error as Error).stack ?? error) });
  process.exit(2);
});
