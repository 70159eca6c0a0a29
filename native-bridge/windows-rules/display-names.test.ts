import { describe, expect, it } from 'vitest';
import { fileNameOf, iconSources, resolveDisplayName, SYSTEM_SOUNDS_LABEL } from './display-names';

const GUID = '{ABCDEF01-2345-6789-ABCD-EF0123456789}';
const facts = { clientName: '', isSystemSounds: false, crossProcess: false, pid: 7, sessionGuid: GUID };
const none = { packageName: () => null, windowTitle: () => null, fileDescription: () => null, executablePath: () => null };

describe('display names (R17..R19)', () => {
  it('asks only as far down the fallback chain as needed', () => {
    const asked: string[] = [];
    const lookups = {
      packageName: () => (asked.push('package'), null),
      windowTitle: () => (asked.push('title'), '  '),
      fileDescription: () => (asked.push('description'), 'Described'),
      executablePath: () => (asked.push('path'), 'C:\\x.exe'),
    };
    expect(resolveDisplayName(facts, lookups)).toEqual({ displayName: 'Described', displayNameSource: 'file-description' });
    expect(asked).toEqual(['package', 'title', 'description']);
  });

  it('prefers System Sounds, then the client name', () => {
    expect(resolveDisplayName({ ...facts, isSystemSounds: true, clientName: 'x' }, none).displayName).toBe(SYSTEM_SOUNDS_LABEL);
    expect(resolveDisplayName({ ...facts, clientName: ' Given ' }, none)).toEqual({
      displayName: 'Given',
      displayNameSource: 'client',
    });
  });

  it('never looks into a process for a cross-process session (R18)', () => {
    const lookups = { packageName: () => 'no', windowTitle: () => 'no', fileDescription: () => 'no', executablePath: () => 'no' };
    expect(resolveDisplayName({ ...facts, crossProcess: true }, lookups)).toEqual({
      displayName: 'Shared audio session abcdef01',
      displayNameSource: 'generic',
    });
  });

  it("names a packaged app after its package, before its window title (defect 9)", () => {
    expect(resolveDisplayName(facts, { ...none, packageName: () => ' Media Player ', windowTitle: () => 'Now playing' })).toEqual({
      displayName: 'Media Player',
      displayNameSource: 'package',
    });
    expect(resolveDisplayName({ ...facts, clientName: 'Given' }, { ...none, packageName: () => 'Media Player' }).displayNameSource).toBe('client');
  });

  it("tries the client's icon, then (process-specific sessions only) a package's logo and the executable's (R17, R18)", () => {
    const exe = { packageLogo: () => null, executablePath: () => 'C:\\Apps\\game.exe' };
    expect([...iconSources({ iconPath: ' C:\\game.ico,0 ', crossProcess: false }, exe)]).toEqual(['C:\\game.ico,0', 'C:\\Apps\\game.exe']);
    expect([...iconSources({ iconPath: '', crossProcess: false }, { packageLogo: () => null, executablePath: () => null })]).toEqual([]);
    expect([...iconSources({ iconPath: '', crossProcess: true }, exe)]).toEqual([]);
    const packaged = { packageLogo: () => 'data:image/png;base64,AA==', executablePath: () => 'C:\\Apps\\app.exe' };
    expect([...iconSources({ iconPath: '', crossProcess: false }, packaged)]).toEqual(['data:image/png;base64,AA==', 'C:\\Apps\\app.exe']);
  });

  it('ends with the file name, or, for a process it cannot look into, the process id', () => {
    expect(resolveDisplayName(facts, { ...none, executablePath: () => 'C:/Apps/game.exe' }).displayName).toBe('game.exe');
    expect(resolveDisplayName(facts, none)).toEqual({ displayName: 'Process 7', displayNameSource: 'generic' });
    expect(fileNameOf('C:\\a\\b.exe')).toBe('b.exe');
  });
});
