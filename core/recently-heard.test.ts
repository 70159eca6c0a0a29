import { describe, expect, it } from 'vitest';
import { session } from './testing/fake-backend';
import { RECENTLY_HEARD_LIMIT, RecentlyHeard } from './recently-heard';

describe('RecentlyHeard', () => {
  it('lists sessions newest first with time, device and app, each once', () => {
    let now = 1000;
    const heard = new RecentlyHeard(() => now, 60_000);
    heard.add(session({ id: 'a', displayName: 'Chime' }));
    now = 2000;
    heard.add(session({ id: 'b', displayName: 'Player', deviceId: 'dev-headset' }));
    now = 3000;
    heard.add(session({ id: 'a', displayName: 'Chime' }));
    expect(heard.entries()).toEqual([
      { sessionId: 'a', appKey: 'render|exe:player.exe', displayName: 'Chime', deviceId: 'dev-speakers', time: 3000 },
      { sessionId: 'b', appKey: 'render|exe:player.exe', displayName: 'Player', deviceId: 'dev-headset', time: 2000 },
    ]);
  });

  it('drops entries past the window and says when the next one goes', () => {
    let now = 0;
    const heard = new RecentlyHeard(() => now, 10_000);
    heard.add(session({ id: 'a' }));
    now = 5000;
    heard.add(session({ id: 'b' }));
    expect(heard.nextExpiry()).toBe(10_000);
    now = 10_000;
    expect(heard.prune()).toBe(true);
    expect(heard.entries().map((entry) => entry.sessionId)).toEqual(['b']);
    expect(heard.prune()).toBe(false);
  });

  it('keeps at most RECENTLY_HEARD_LIMIT entries', () => {
    const heard = new RecentlyHeard(() => 0);
    for (let index = 0; index < RECENTLY_HEARD_LIMIT + 5; index++) heard.add(session({ id: `s${index}` }));
    expect(heard.entries()).toHaveLength(RECENTLY_HEARD_LIMIT);
    expect(heard.entries()[0]?.sessionId).toBe(`s${RECENTLY_HEARD_LIMIT + 4}`);
  });
});
