import { act, cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SPEAKERS, patch, session, snapshot } from '../testing/fixtures';
import { renderMixer } from '../testing/render-mixer';
import type * as Selectors from '../state/selectors';
import { MixerPanel } from './MixerPanel';

// Counts which strips are asked for (each strip selects its own): the spy wraps the real selector.
const asked = vi.hoisted(() => ({ keys: [] as string[] }));
vi.mock('../state/selectors', async (importOriginal) => {
  const original = await importOriginal<typeof Selectors>();
  return {
    ...original,
    selectStrip: (...args: Parameters<typeof original.selectStrip>) => {
      asked.keys.push(args[3]);
      return original.selectStrip(...args);
    },
  };
});

afterEach(cleanup);

describe('MixerPanel', () => {
  it("asks only the changed session's strip at a patch, however many strips it shows", () => {
    const sessions = Array.from({ length: 12 }, (_, index) => session(`app-${index}`, { displayName: `App ${index}` }));
    const { store } = renderMixer(<MixerPanel deviceId={SPEAKERS} flow="render" />, [snapshot({ sessions })]);
    expect(screen.getAllByTestId('session-strip')).toHaveLength(12);
    asked.keys.length = 0;
    act(() => store.getState().applyMessage(patch({ changed: [{ id: 'app-7', changes: { volume: 0.25 } }] })));
    expect(new Set(asked.keys)).toEqual(new Set(['app-7']));
    expect(screen.getByRole('slider', { name: 'Volume of App 7' })).toHaveProperty('value', '25');
  });

  it('mounts a list longer than a screenful whole, in order, as it grows in runs', async () => {
    const sessions = Array.from({ length: 90 }, (_, index) => session(`app-${index}`, { displayName: `App ${index}` }));
    renderMixer(<MixerPanel deviceId={SPEAKERS} flow="render" />, [snapshot({ sessions })]);
    await waitFor(() => expect(screen.getAllByTestId('session-strip')).toHaveLength(90), { timeout: 20_000 });
    expect(screen.getAllByTestId('session-strip').map((strip) => strip.getAttribute('aria-label'))).toEqual(sessions.map((record) => record.displayName));
  }, 30_000);
});
