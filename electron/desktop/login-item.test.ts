import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTOSTART_FILE, autostartDir, autostartEntry, setLinuxAutostart } from './login-item';

describe('start at login on Linux', () => {
  it('lives in XDG_CONFIG_HOME/autostart, else ~/.config/autostart', () => {
    expect(autostartDir({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/a')).toBe('/x/cfg/autostart');
    expect(autostartDir({}, '/home/a')).toBe('/home/a/.config/autostart');
  });

  it('starts the executable hidden, quoted so a path with spaces or quotes works', () => {
    const entry = autostartEntry('/opt/Snd Mix/sndmix "beta"');
    expect(entry).toContain('Exec="/opt/Snd Mix/sndmix \\"beta\\"" --hidden\n');
    expect(entry.startsWith('[Desktop Entry]\nType=Application\n')).toBe(true);
  });

  it('is written when on and removed when off', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'sndmix-autostart-')), 'autostart');
    try {
      await setLinuxAutostart(true, '/usr/bin/sndmix', dir);
      expect(readFileSync(path.join(dir, AUTOSTART_FILE), 'utf8')).toContain('Exec="/usr/bin/sndmix" --hidden');
      await setLinuxAutostart(false, '/usr/bin/sndmix', dir);
      expect(existsSync(path.join(dir, AUTOSTART_FILE))).toBe(false);
      await setLinuxAutostart(false, '/usr/bin/sndmix', dir);
    } finally {
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});
