import { describe, expect, it } from 'vitest';
import {
  AUDCLNT_E_DEVICE_INVALIDATED,
  check,
  ComError,
  describeHResult,
  E_NOTIMPL,
  HRESULTS,
  hresultName,
  isComError,
  S_FALSE,
  succeeded,
} from './hresult';

describe('HRESULTs', () => {
  it('names them, signed or unsigned', () => {
    expect(hresultName(-2147467263)).toBe('E_NOTIMPL');
    expect(hresultName(0x88890004)).toBe('AUDCLNT_E_DEVICE_INVALIDATED');
    expect(hresultName(0x1234)).toBeNull();
    expect(describeHResult(0x80004003)).toBe('E_POINTER (0x80004003)');
    expect(describeHResult(0x80041234)).toBe('0x80041234');
  });

  it('has one value per name and one name per value', () => {
    expect(new Set(HRESULTS.map((entry) => entry.name)).size).toBe(HRESULTS.length);
    expect(new Set(HRESULTS.map((entry) => entry.value)).size).toBe(HRESULTS.length);
  });

  it('tells success (S_FALSE and AUDCLNT_S_* included) from failure', () => {
    expect(succeeded(S_FALSE)).toBe(true);
    expect(succeeded(0x0889000d)).toBe(true);
    expect(succeeded(E_NOTIMPL)).toBe(false);
  });

  it('throws a named ComError for a failure and passes success codes through', () => {
    expect(check(S_FALSE, 'X.Y')).toBe(S_FALSE);
    expect(() => check(AUDCLNT_E_DEVICE_INVALIDATED | 0, 'ISimpleAudioVolume.SetMasterVolume')).toThrow(
      'ISimpleAudioVolume.SetMasterVolume failed: AUDCLNT_E_DEVICE_INVALIDATED (0x88890004)',
    );
    const error = new ComError(E_NOTIMPL | 0, 'IAudioSessionControl.GetDisplayName');
    expect(error).toMatchObject({ hresult: E_NOTIMPL, code: 'E_NOTIMPL', call: 'IAudioSessionControl.GetDisplayName' });
    expect(isComError(error, E_NOTIMPL)).toBe(true);
    expect(isComError(error, AUDCLNT_E_DEVICE_INVALIDATED)).toBe(false);
    expect(isComError(new Error('x'))).toBe(false);
  });
});
