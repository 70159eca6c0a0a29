import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineHost } from '../core/engine-host';
import { FakeBackend } from '../core/testing/fake-backend';
import type { AudioBackend } from '../native-bridge/types';
import type { SimWorld } from './test-hooks';
import {
  E2E_CLOCK_START,
  E2E_GLOBAL,
  compileWorldFunction,
  createE2EHook,
  createE2ESim,
  e2eHooksEnabled,
  installE2EHook,
  openE2EBackend,
} from './test-hooks';

const hosts: EngineHost[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function startHost(backend: AudioBackend): Promise<EngineHost> {
  const host = await EngineHost.start(backend);
  hosts.push(host);
  return host;
}

describe('e2e test hooks', () => {
  it('are enabled by SNDMIX_E2E=1 only', () => {
    expect(e2eHooksEnabled({ SNDMIX_E2E: '1' })).toBe(true);
    expect(e2eHooksEnabled({ SNDMIX_E2E: 'true' })).toBe(false);
    expect(e2eHooksEnabled({})).toBe(false);
  });

  it('open the demo, standing still, on a clock only the test moves', async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'sndmix-e2e-hooks-'));
    dirs.push(stateDir);
    const opened = await openE2EBackend({ name: undefined, stateDir });
    const sim = opened.sim;
    if (!sim) throw new Error('expected the e2e sim');
    await startHost(opened.backend);
    expect(sim.clock.now()).toBe(E2E_CLOCK_START);
    const game = sim.demo.sessions.game;
    expect(sim.backend.engine.getSession(game)?.state).toBe('active');
    sim.backend.engine.stopStream(sim.demo.streams.game);
    sim.clock.advance(sim.backend.engine.expireAfterMs);
    expect(sim.backend.engine.getSession(game)?.state).toBe('expired');
    // Not live: nothing else changed on its own while the clock moved.
    expect(sim.backend.engine.getSession(sim.demo.sessions.mediaPlayer)?.state).toBe('active');
  });

  it('run a function given as source text against the sim world, and hand back its result', async () => {
    const sim = await createE2ESim(null);
    const host = await startHost(sim.backend);
    const hook = createE2EHook(host, sim);
    const script = (world: SimWorld, arg: { volume: number }) => {
      world.engine.client(world.demo.pids.game).setVolume(world.demo.sessions.game, arg.volume);
      return world.engine.getSession(world.demo.sessions.game)?.volume;
    };
    await expect(hook.run(script.toString(), { volume: 0.25 })).resolves.toBe(0.25);
    const asyncScript = async (world: SimWorld) => world.host.session(world.demo.sessions.game)?.displayName;
    await expect(hook.run(asyncScript.toString(), undefined)).resolves.toBe('Starfall Odyssey');
  });

  it('fail a function that closes over the test: it would fail in the Electron main process too', async () => {
    const sim = await createE2ESim(null);
    const hook = createE2EHook(await startHost(sim.backend), sim);
    const outside = 0.5;
    const script = (world: SimWorld) => world.engine.client(world.demo.pids.game).setVolume(world.demo.sessions.game, outside);
    await expect(hook.run(script.toString(), undefined)).rejects.toThrow(/outside is not defined/);
  });

  it('say why when the app has no sim engine behind it', async () => {
    const hook = createE2EHook(await startHost(new FakeBackend()), null);
    await expect(hook.run('() => 1', undefined)).rejects.toThrow(/runs the .* backend: there is no sim engine/);
  });

  it('reject source that is not a function, saying so', () => {
    expect(() => compileWorldFunction('42')).toThrow(/not a function/);
    expect(() => compileWorldFunction('(world) => {')).toThrow(/cannot compile/);
  });

  it('hang the hook on the global object for electronApp.evaluate()', () => {
    const target: Record<string, unknown> = {};
    const hook = { run: async () => 1 };
    installE2EHook(hook, target);
    expect(target[E2E_GLOBAL]).toBe(hook);
  });
});
