// The header-conformance probe, generated from the TypeScript declarations themselves so
// nothing is listed twice by hand. The C program, built with mingw-w64 against the SDK
// headers (audiopolicy.h, mmdeviceapi.h, endpointvolume.h, audioclient.h,
// functiondiscoverykeys_devpkey.h, inspectable.h), prints one line per fact; expectedProbeLines()
// prints the same facts from the TypeScript side, and the test compares the two.
//   slot <Interface>.<Method> <index>       vtable slot (offsetof in the Vtbl struct)
//   signature <Interface>.<Method> <0|1>    the whole C function type, via __builtin_types_compatible_p
//   vtable <Interface> <count>              methods in the Vtbl (none missing at the end)
//   iid <Interface> <GUID>                  clsid <Name> <GUID>    pkey <Name> <GUID> <pid>
//   const <Name> <value>                    hresult <Name> <hex>
//   size <Struct> <bytes>                   offset <Struct>.<field> <bytes>
//   absent <Interface>                      the headers lack it (see HEADER_GAPS)
import { HRESULTS, hresultHex } from '../../com/hresult';
import { CC_STDCALL, CLSCTX_ALL, COM_LAYOUTS, VT, type InterfaceDef, type StructLayout } from '../../com/interface';
import { NAMED_CONSTANTS, PropertyKeys } from '../constants';
import { CLASSES, INTERFACES } from '../interfaces';
import { CORE_AUDIO_LAYOUTS } from '../structs';

/**
 * Interfaces the headers of Debian bookworm's mingw-w64 (10.0) do not define, and why.
 * The test requires the probe to report exactly these as absent.
 */
export const HEADER_GAPS: Readonly<Record<string, string>> = {
  IAudioMeterInformation: 'mingw-w64 10 only forward-declares it in endpointvolume.h (defined from mingw-w64 11 on)',
  IAudioPolicyConfigFactory: 'undocumented: no SDK header declares it (its slots are pinned against EarTrumpet\'s declaration by its own test)',
};

const LAYOUTS: readonly StructLayout[] = [...COM_LAYOUTS, ...CORE_AUDIO_LAYOUTS];

/** VT_*, CC_STDCALL and CLSCTX_ALL as the COM runtime uses them. */
const DISPATCH_CONSTANTS = [
  ...Object.entries(VT).map(([name, value]) => ({ name: `VT_${name}`, value })),
  { name: 'CC_STDCALL', value: CC_STDCALL },
  { name: 'CLSCTX_ALL', value: CLSCTX_ALL },
];

export function expectedProbeLines(): string[] {
  const lines: string[] = [];
  for (const iface of INTERFACES) {
    if (HEADER_GAPS[iface.name]) {
      lines.push(`absent ${iface.name}`);
      continue;
    }
    const names = Object.keys(iface.methods);
    names.forEach((name) => {
      lines.push(`slot ${iface.name}.${name} ${iface.slot(name)}`);
      lines.push(`signature ${iface.name}.${name} 1`);
    });
    lines.push(`vtable ${iface.name} ${names.length}`);
    lines.push(`iid ${iface.name} ${iface.iid}`);
  }
  for (const [name, clsid] of Object.entries(CLASSES)) lines.push(`clsid ${name} ${clsid}`);
  for (const [name, key] of Object.entries(PropertyKeys)) lines.push(`pkey ${name} ${key.fmtid} ${key.pid}`);
  for (const { name, value } of [...NAMED_CONSTANTS, ...DISPATCH_CONSTANTS]) lines.push(`const ${name} ${value}`);
  for (const { name, value } of HRESULTS) lines.push(`hresult ${name} ${hresultHex(value)}`);
  for (const layout of LAYOUTS) {
    if (layout.size !== null) lines.push(`size ${layout.struct} ${layout.size}`);
    for (const [field, offset] of Object.entries(layout.offsets)) lines.push(`offset ${layout.struct}.${field} ${offset}`);
  }
  return lines;
}

function functionType(iface: InterfaceDef, name: string): string {
  const spec = iface.methods[name];
  if (!spec) throw new Error(`${iface.name}.${name} is not declared`);
  const params = [`${iface.name} *`, ...spec.params.map((param) => param.c)].join(', ');
  return `${spec.returns} (STDMETHODCALLTYPE *)(${params})`;
}

function cString(text: string): string {
  return JSON.stringify(text);
}

export function probeSource(): string {
  const body: string[] = [];
  for (const iface of INTERFACES) {
    const vtbl = `${iface.name}Vtbl`;
    body.push(`#ifdef __${iface.name}_INTERFACE_DEFINED__`);
    for (const name of Object.keys(iface.methods)) {
      const key = cString(`${iface.name}.${name}`);
      body.push(`  printf("slot %s %u\\n", ${key}, (unsigned)(offsetof(${vtbl}, ${name}) / sizeof(void *)));`);
      body.push(
        `  printf("signature %s %d\\n", ${key}, __builtin_types_compatible_p(__typeof__(((${vtbl} *)0)->${name}), ${functionType(iface, name)}));`,
      );
    }
    body.push(`  printf("vtable %s %u\\n", ${cString(iface.name)}, (unsigned)(sizeof(${vtbl}) / sizeof(void *)));`);
    body.push(`  print_guid("iid", ${cString(iface.name)}, &IID_${iface.name});`);
    body.push('#else');
    body.push(`  printf("absent %s\\n", ${cString(iface.name)});`);
    body.push('#endif');
  }
  for (const name of Object.keys(CLASSES)) body.push(`  print_guid("clsid", ${cString(name)}, &CLSID_${name});`);
  for (const name of Object.keys(PropertyKeys)) {
    body.push(`  print_guid_pid("pkey", ${cString(name)}, &${name}.fmtid, ${name}.pid);`);
  }
  for (const { name } of [...NAMED_CONSTANTS, ...DISPATCH_CONSTANTS]) {
    body.push(`  printf("const %s %lld\\n", ${cString(name)}, (long long)(${name}));`);
  }
  for (const { name, c } of HRESULTS) {
    body.push(`  printf("hresult %s 0x%08lX\\n", ${cString(name)}, (unsigned long)(${c}));`);
  }
  for (const layout of LAYOUTS) {
    if (layout.size !== null)
      body.push(`  printf("size %s %u\\n", ${cString(layout.struct)}, (unsigned)sizeof(${layout.struct}));`);
    for (const field of Object.keys(layout.offsets)) {
      body.push(
        `  printf("offset %s %u\\n", ${cString(`${layout.struct}.${field}`)}, (unsigned)offsetof(${layout.struct}, ${field}));`,
      );
    }
  }
  return `/* Generated by native-bridge/coreaudio/conformance/probe.ts: do not edit. */
#include <initguid.h>
#include <windows.h>
#include <oleauto.h>
#include <propsys.h>
#include <mmdeviceapi.h>
#include <audioclient.h>
#include <audiopolicy.h>
#include <endpointvolume.h>
#include <functiondiscoverykeys_devpkey.h>
#include <inspectable.h>
#include <stddef.h>
#include <stdio.h>

static void print_guid_text(const GUID *g) {
  printf("{%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", (unsigned long)g->Data1, g->Data2, g->Data3,
         g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6], g->Data4[7]);
}

static void print_guid(const char *kind, const char *name, const GUID *g) {
  printf("%s %s ", kind, name);
  print_guid_text(g);
  printf("\\n");
}

static void print_guid_pid(const char *kind, const char *name, const GUID *g, unsigned long pid) {
  printf("%s %s ", kind, name);
  print_guid_text(g);
  printf(" %lu\\n", pid);
}

int main(void) {
${body.join('\n')}
  return 0;
}
`;
}
