import { describe, expect, it } from 'vitest';
import { fileNameOf, iconSources, resolveDisplayName, SYSTEM_SOUNDS_LABEL } from './display-names';

const GUID = '{ABCDEF01-2345-6789-ABCD-EF0123456789}';
const facts = { clientName: '', isSystemSounds: false, crossProcess: false, pid: 7, sessionGuid: GUID };
const none = { windowTitle: () => null, fileDescription: () => null, executablePath: () => null };

describe('display names (R17..R19)', () => {
  it('asks only as far down the fallback chain as needed', () => {
    const asked: string[] = [];
    const lookups = {
      windowTitle: () => (asked.push('title'), '  '),
      fileDescription: () => (asked.push('description'), 'Described'),
      executablePath: () => (asked.push('path'), 'C:\\x.exe'),
    };
    expect(resolveDisplayName(facts, lookups)).toEqual({ displayName: 'Described', displayNameSource: 'file-description' });
    expect(asked).toEqual(['title', 'description']);
  });

  it('prefers System Sounds, then the client name', () => {
    expect(resolveDisplayName({ ...facts, isSystemSounds: true, clientName: 'x' }, none).displayName).toBe(SYSTEM_SOUNDS_LABEL);
    expect(resolveDisplayName({ ...facts, clientName: ' Given ' }, none)).toEqual({
      displayName: 'Given',
      displayNameSource: 'client',
    });
  });

  it('never looks into a process for a cross-process session (R18)', () => {
    const lookups = { windowTitle: () => 'no', fileDescription: () => 'no', executablePath: () => 'no' };
    expect(resolveDisplayName({ ...facts, crossProcess: true }, lookups)).toEqual({
      displayName: 'Shared audio session abcdef01',
      displayNameSource: 'generic',
    });
  });

  it("tries the client's icon, then (process-specific sessions only) the executable's (R17, R18)", () => {
    const exe = () => 'C:\\Apps\\game.exe';
    expect(iconSources({ iconPath: ' C:\\game.ico,0 ', crossProcess: false }, exe)).toEqual(['C:\\game.ico,0', 'C:\\Apps\\game.exe']);
    expect(iconSources({ iconPath: '', crossProcess: false }, () => null)).toEqual([]);
    expect(iconSources({ iconPath: '', crossProcess: true }, exe)).toEqual([]);
  });

  it('ends with the file name, or, for a process it cannot look into, the process id', () => {
    expect(resolveDisplayName(facts, { ...none, executablePath: () => 'C:/Apps/game.exe' }).displayName).toBe('game.exe');
    expect(resolveDisplayName(facts, none)).toEqual({ displayName: 'Process 7', displayNameSource: 'generic' });
    expect(fileNameOf('C:\\a\\b.exe')).toBe('b.exe');
  });
});
