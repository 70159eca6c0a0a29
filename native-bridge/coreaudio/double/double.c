/*
 * A scriptable Core Audio for tests: the in-process server of CLSID_MMDeviceEnumerator in a
 * Wine prefix of its own, with the behaviour of Windows that the coreaudio backend relies on
 * (see README.md for what each part was checked against). Tests script it through the dbl_*
 * exports; every COM method also checks the contracts Windows has and Wine does not enforce:
 *   - notifications arrive on the double's own thread, one at a time;
 *   - Register* calls the sink's AddRef on the caller's thread while holding the
 *     service lock that GetState, Release and GetSessionEnumerator also take;
 *   - a reference ledger (outstanding references are listed, by interface, at unload);
 *   - the caller's COM apartment is checked in every method;
 *   - the exact float bits of every Set* are logged;
 *   - a watchdog reports any sink call that keeps a thread waiting more than 200 ms.
 * It is also the activation factory of Windows.Media.Internal.AudioPolicyConfig (the per-app
 * default endpoint, policy-config.c), registered as that Windows Runtime class.
 * A lock that cannot be taken within 2 s is reported as a deadlock and the call fails with
 * HRESULT_FROM_WIN32(ERROR_POSSIBLE_DEADLOCK) (Windows would hang): tests fail, never hang.
 */
#define COBJMACROS
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <initguid.h>
#include <objbase.h>
#include <mmdeviceapi.h>
#include <audioclient.h>
#include <audiopolicy.h>
#include <endpointvolume.h>
#include <functiondiscoverykeys_devpkey.h>
#include <propvarutil.h>
#include <inspectable.h>
#include <stdarg.h>
#include <stdio.h>
#include <wchar.h>

/* Not in mingw-w64's headers (see conformance/probe.ts HEADER_GAPS): as the SDK declares it. */
DEFINE_GUID(IID_IAudioMeterInformation, 0xC02216F6, 0x8C67, 0x4B5B, 0x9D, 0x00, 0xD0, 0x08, 0xE7, 0x3E, 0x00, 0x64);
typedef struct IAudioMeterInformation IAudioMeterInformation;
typedef struct IAudioMeterInformationVtbl {
  HRESULT(STDMETHODCALLTYPE *QueryInterface)(IAudioMeterInformation *, REFIID, void **);
  ULONG(STDMETHODCALLTYPE *AddRef)(IAudioMeterInformation *);
  ULONG(STDMETHODCALLTYPE *Release)(IAudioMeterInformation *);
  HRESULT(STDMETHODCALLTYPE *GetPeakValue)(IAudioMeterInformation *, float *);
  HRESULT(STDMETHODCALLTYPE *GetMeteringChannelCount)(IAudioMeterInformation *, UINT *);
  HRESULT(STDMETHODCALLTYPE *GetChannelsPeakValues)(IAudioMeterInformation *, UINT32, float *);
  HRESULT(STDMETHODCALLTYPE *QueryHardwareSupport)(IAudioMeterInformation *, DWORD *);
} IAudioMeterInformationVtbl;
struct IAudioMeterInformation { IAudioMeterInformationVtbl *lpVtbl; };

#ifndef AUDCLNT_E_SERVICE_NOT_RUNNING
#define AUDCLNT_E_SERVICE_NOT_RUNNING ((HRESULT)0x88890010)
#endif
#ifndef AUDCLNT_S_NO_SINGLE_PROCESS
#define AUDCLNT_S_NO_SINGLE_PROCESS ((HRESULT)0x0889000D)
#endif
#define NULL_PTR_ERR HRESULT_FROM_WIN32(RPC_X_NULL_REF_POINTER)
#define E_DEADLOCK HRESULT_FROM_WIN32(ERROR_POSSIBLE_DEADLOCK)
#define MAX_CHANNELS 8
#define LOCK_TIMEOUT_MS 2000
#define WATCHDOG_MS 200

static const WCHAR SYSTEM_SOUNDS_NAME[] = L"@%SystemRoot%\\System32\\AudioSrv.Dll,-202";
static const WCHAR SYSTEM_SOUNDS_ICON[] = L"@%SystemRoot%\\System32\\AudioSrv.Dll,-203";
/* KSDATAFORMAT_SUBTYPE_IEEE_FLOAT (the mix format's), without linking ksuser. */
DEFINE_GUID(SUBTYPE_IEEE_FLOAT, 0x00000003, 0x0000, 0x0010, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71);
/* The GUID Windows gives the System Sounds session. */
DEFINE_GUID(GUID_SYSTEM_SOUNDS, 0xA9EF3FD9, 0x4240, 0x455E, 0xA4, 0xD5, 0xF2, 0xB3, 0x30, 0x18, 0x87, 0xB2);

/* One translation unit, every symbol static; each part one job. */
#include "diagnostics.c"
#include "model.c"
#include "devices.c"
#include "sessions.c"
#include "exports.c"
#include "hooks.c"
#include "policy-config.c"
#include "sink-waits.c"
