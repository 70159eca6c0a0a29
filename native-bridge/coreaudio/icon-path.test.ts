import { describe, expect, it } from 'vitest';
import { parseIconPath } from './icon-path';

describe('icon paths', () => {
  it('reads "file,-resourceId" and "file,index"', () => {
    expect(parseIconPath('%SystemRoot%\\System32\\AudioSrv.Dll,-203')).toEqual({
      kind: 'resource-id',
      file: '%SystemRoot%\\System32\\AudioSrv.Dll',
      id: 203,
    });
    expect(parseIconPath('C:\\Apps\\app.exe,2')).toEqual({ kind: 'index', file: 'C:\\Apps\\app.exe', index: 2 });
  });

  it('drops a leading "@" and quotes; an .ico file or a bare executable need no index', () => {
    expect(parseIconPath('@"C:\\Program Files\\App\\app.dll", -5')).toEqual({
      kind: 'resource-id',
      file: 'C:\\Program Files\\App\\app.dll',
      id: 5,
    });
    expect(parseIconPath('C:\\Icons\\x.ICO')).toEqual({ kind: 'ico', file: 'C:\\Icons\\x.ICO' });
    expect(parseIconPath('C:\\Apps\\app.exe')).toEqual({ kind: 'index', file: 'C:\\Apps\\app.exe', index: 0 });
  });

  it('gives null for nothing usable', () => {
    expect(parseIconPath('')).toBeNull();
    expect(parseIconPath('  @ ')).toBeNull();
    expect(parseIconPath(',3')).toBeNull();
  });
});
