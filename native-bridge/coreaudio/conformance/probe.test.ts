import { describe, expect, it } from 'vitest';
import { INTERFACES } from '../interfaces';
import { expectedProbeLines, HEADER_GAPS, probeSource } from './probe';

describe('the conformance probe generator', () => {
  it('checks every method of every declared interface, from the declarations themselves', () => {
    const source = probeSource();
    const lines = expectedProbeLines();
    for (const iface of INTERFACES) {
      if (HEADER_GAPS[iface.name]) continue;
      for (const name of Object.keys(iface.methods)) {
        expect(source).toContain(`offsetof(${iface.name}Vtbl, ${name})`);
        expect(lines).toContain(`slot ${iface.name}.${name} ${iface.slot(name)}`);
      }
      expect(lines).toContain(`iid ${iface.name} ${iface.iid}`);
    }
  });

  it("spells each method's whole C type for __builtin_types_compatible_p", () => {
    expect(probeSource()).toContain(
      '__builtin_types_compatible_p(__typeof__(((ISimpleAudioVolumeVtbl *)0)->SetMasterVolume), HRESULT (STDMETHODCALLTYPE *)(ISimpleAudioVolume *, float, LPCGUID))',
    );
  });

  it('lists each fact once', () => {
    const keys = expectedProbeLines().map((line) => line.split(' ').slice(0, 2).join(' '));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
