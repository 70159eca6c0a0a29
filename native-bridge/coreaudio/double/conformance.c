/*
 * The double against what Windows does, as Wine's conformance tests state it where they are
 * not marked todo_wine (dlls/mmdevapi/tests/mmdevenum.c, render.c, capture.c; they run against
 * real Windows in Wine's test infrastructure). Written for this project: each check names the
 * expectation it mirrors. Runs in the double's prefix; prints "ok <check>" or "fail <check>: <why>"
 * a line, then "done".
 */
#define COBJMACROS
#include <windows.h>
#include <initguid.h>
#include <mmdeviceapi.h>
#include <audioclient.h>
#include <audiopolicy.h>
#include <endpointvolume.h>
#include <stdio.h>
#include <wchar.h>

#define NULL_PTR_ERR HRESULT_FROM_WIN32(RPC_X_NULL_REF_POINTER)

static int failures;
static const char *current = "";

static void expect(BOOL condition, const char *what, HRESULT hr) {
  if (condition) return;
  failures++;
  printf("fail %s: %s (hr 0x%08lx)\n", current, what, (unsigned long)hr);
}

static void begin(const char *name) { current = name; }
static int failures_at_start;
static void start(const char *name) {
  begin(name);
  failures_at_start = failures;
}
static void finish(void) {
  if (failures == failures_at_start) printf("ok %s\n", current);
}

typedef int (*add_endpoint_fn)(const char *, const char *, int, int);
typedef int (*set_default_fn)(int, int, const char *);
typedef int (*ledger_fn)(char *, int);
typedef int (*pending_fn)(void);

/* An IMMNotificationClient whose IUnknown must never be called by Register/Unregister (mmdevenum.c). */
static LONG client_unknown_calls;
static HRESULT WINAPI nc_QueryInterface(IMMNotificationClient *self, REFIID iid, void **out) {
  client_unknown_calls++;
  *out = NULL;
  return E_NOINTERFACE;
}
static ULONG WINAPI nc_AddRef(IMMNotificationClient *self) { client_unknown_calls++; return 2; }
static ULONG WINAPI nc_Release(IMMNotificationClient *self) { client_unknown_calls++; return 1; }
static HRESULT WINAPI nc_OnDeviceStateChanged(IMMNotificationClient *self, LPCWSTR id, DWORD state) { return S_OK; }
static HRESULT WINAPI nc_OnDeviceAdded(IMMNotificationClient *self, LPCWSTR id) { return S_OK; }
static HRESULT WINAPI nc_OnDeviceRemoved(IMMNotificationClient *self, LPCWSTR id) { return S_OK; }
static HRESULT WINAPI nc_OnDefaultDeviceChanged(IMMNotificationClient *self, EDataFlow flow, ERole role, LPCWSTR id) { return S_OK; }
static HRESULT WINAPI nc_OnPropertyValueChanged(IMMNotificationClient *self, LPCWSTR id, const PROPERTYKEY key) { return S_OK; }
static IMMNotificationClientVtbl nc_vtbl = {nc_QueryInterface, nc_AddRef, nc_Release, nc_OnDeviceStateChanged, nc_OnDeviceAdded,
                                            nc_OnDeviceRemoved, nc_OnDefaultDeviceChanged, nc_OnPropertyValueChanged};
static IMMNotificationClient notification_client = {&nc_vtbl};

static IAudioClient *open_client(IMMDevice *device, const GUID *session, WAVEFORMATEX **format) {
  IAudioClient *client = NULL;
  HRESULT hr = IMMDevice_Activate(device, &IID_IAudioClient, CLSCTX_INPROC_SERVER, NULL, (void **)&client);
  expect(hr == S_OK && client, "Activate(IAudioClient)", hr);
  if (!client) return NULL;
  hr = IAudioClient_GetMixFormat(client, format);
  expect(hr == S_OK, "GetMixFormat", hr);
  hr = IAudioClient_Initialize(client, AUDCLNT_SHAREMODE_SHARED, 0, 5000000, 0, *format, session);
  expect(hr == S_OK, "Initialize in a session", hr);
  return client;
}

static void test_enumerator(IMMDeviceEnumerator *enumerator) {
  start("mmdevenum.c: one enumerator per process; QueryInterface(NULL) E_POINTER; IID_NULL E_NOINTERFACE and NULL");
  IMMDeviceEnumerator *second = NULL;
  IUnknown *unknown = (IUnknown *)0x1234;
  HRESULT hr = CoCreateInstance(&CLSID_MMDeviceEnumerator, NULL, CLSCTX_INPROC_SERVER, &IID_IMMDeviceEnumerator, (void **)&second);
  expect(hr == S_OK && second == enumerator, "the same pointer from a second CoCreateInstance", hr);
  if (second) IMMDeviceEnumerator_Release(second);
  expect(IMMDeviceEnumerator_QueryInterface(enumerator, &IID_IUnknown, NULL) == E_POINTER, "QI(NULL)", 0);
  hr = IMMDeviceEnumerator_QueryInterface(enumerator, &GUID_NULL, (void **)&unknown);
  expect(hr == E_NOINTERFACE && unknown == NULL, "QI(IID_NULL)", hr);
  finish();

  start("mmdevenum.c: GetDevice(NULL) E_POINTER, GetDevice(\"notadevice\") E_INVALIDARG");
  IMMDevice *device = NULL;
  expect(IMMDeviceEnumerator_GetDevice(enumerator, L"notadevice", NULL) == E_POINTER, "NULL out", 0);
  expect(IMMDeviceEnumerator_GetDevice(enumerator, NULL, &device) == E_POINTER, "NULL id", 0);
  expect(IMMDeviceEnumerator_GetDevice(enumerator, L"notadevice", &device) == E_INVALIDARG, "not a device id", 0);
  finish();

  start("mmdevenum.c: EnumAudioEndpoints checks flow, mask and out; the collection's Item past the end is E_INVALIDARG and NULL");
  IMMDeviceCollection *collection = (IMMDeviceCollection *)0x1234;
  hr = IMMDeviceEnumerator_EnumAudioEndpoints(enumerator, 0xffff, DEVICE_STATEMASK_ALL, &collection);
  expect(hr == E_INVALIDARG && collection == NULL, "bad flow", hr);
  expect(IMMDeviceEnumerator_EnumAudioEndpoints(enumerator, eAll, DEVICE_STATEMASK_ALL + 1, &collection) == E_INVALIDARG, "bad mask", 0);
  expect(IMMDeviceEnumerator_EnumAudioEndpoints(enumerator, eAll, DEVICE_STATEMASK_ALL, NULL) == E_POINTER, "NULL out", 0);
  hr = IMMDeviceEnumerator_EnumAudioEndpoints(enumerator, eAll, DEVICE_STATEMASK_ALL, &collection);
  expect(hr == S_OK && collection, "valid call", hr);
  if (collection) {
    UINT count = 0;
    expect(IMMDeviceCollection_GetCount(collection, NULL) == E_POINTER, "GetCount(NULL)", 0);
    IMMDeviceCollection_GetCount(collection, &count);
    expect(count == 2, "two endpoints", count);
    device = (IMMDevice *)0x1234;
    hr = IMMDeviceCollection_Item(collection, count, &device);
    expect(hr == E_INVALIDARG && device == NULL, "Item(count)", hr);
    expect(IMMDeviceCollection_Item(collection, 0, NULL) == E_POINTER, "Item(0, NULL)", 0);
    ULONG ref = IMMDeviceCollection_AddRef(collection);
    IMMDeviceCollection_Release(collection);
    expect(ref == 2, "collection refcount 2 after AddRef", ref);
    IMMDeviceCollection_Release(collection);
  }
  finish();

  start("mmdevenum.c: endpoint notifications: NULL E_POINTER, register twice, unregister twice, then E_NOTFOUND; the client's IUnknown never called");
  expect(IMMDeviceEnumerator_RegisterEndpointNotificationCallback(enumerator, NULL) == E_POINTER, "Register(NULL)", 0);
  expect(IMMDeviceEnumerator_RegisterEndpointNotificationCallback(enumerator, &notification_client) == S_OK, "Register", 0);
  expect(IMMDeviceEnumerator_RegisterEndpointNotificationCallback(enumerator, &notification_client) == S_OK, "Register again", 0);
  expect(IMMDeviceEnumerator_UnregisterEndpointNotificationCallback(enumerator, NULL) == E_POINTER, "Unregister(NULL)", 0);
  expect(IMMDeviceEnumerator_UnregisterEndpointNotificationCallback(enumerator, (IMMNotificationClient *)0xdeadbeef) == E_NOTFOUND,
         "Unregister(unknown)", 0);
  expect(IMMDeviceEnumerator_UnregisterEndpointNotificationCallback(enumerator, &notification_client) == S_OK, "Unregister", 0);
  expect(IMMDeviceEnumerator_UnregisterEndpointNotificationCallback(enumerator, &notification_client) == S_OK, "Unregister again", 0);
  expect(IMMDeviceEnumerator_UnregisterEndpointNotificationCallback(enumerator, &notification_client) == E_NOTFOUND,
         "Unregister a third time", 0);
  expect(client_unknown_calls == 0, "IUnknown calls on the client", client_unknown_calls);
  finish();
}

static void test_session(IMMDeviceEnumerator *enumerator, IMMDevice *device) {
  GUID guid;
  CoCreateGuid(&guid);
  WAVEFORMATEX *format = NULL, *capture_format = NULL;
  IAudioClient *first = open_client(device, &guid, &format);
  IAudioClient *second = open_client(device, &guid, &format);
  IMMDevice *capture_device = NULL;
  IMMDeviceEnumerator_GetDefaultAudioEndpoint(enumerator, eCapture, eMultimedia, &capture_device);
  IAudioClient *capture = capture_device ? open_client(capture_device, &guid, &capture_format) : NULL;
  if (!first || !second || !capture) return;

  start("render.c test_session: GetService(IAudioSessionControl2) E_NOINTERFACE; one client's control is the same object twice");
  IAudioSessionControl2 *control1 = NULL, *control1b = NULL, *control2 = NULL, *capture_control = NULL;
  HRESULT hr = IAudioClient_GetService(first, &IID_IAudioSessionControl2, (void **)&control1);
  expect(hr == E_NOINTERFACE, "GetService(IAudioSessionControl2)", hr);
  IAudioClient_GetService(first, &IID_IAudioSessionControl, (void **)&control1);
  IAudioClient_GetService(first, &IID_IAudioSessionControl, (void **)&control1b);
  expect(control1 && control1 == control1b, "the same control", 0);
  ULONG ref = IAudioSessionControl2_Release(control1b);
  expect(ref != 0, "still alive after one Release", ref);
  IAudioClient_GetService(second, &IID_IAudioSessionControl, (void **)&control2);
  IAudioClient_GetService(capture, &IID_IAudioSessionControl, (void **)&capture_control);
  finish();

  start("render.c test_session: GetState(NULL) is RPC_X_NULL_REF_POINTER; clients of one GUID share the session, capture stays apart");
  AudioSessionState state = -1;
  expect(IAudioSessionControl2_GetState(control1, NULL) == NULL_PTR_ERR, "GetState(NULL)", 0);
  IAudioSessionControl2_GetState(control1, &state);
  expect(state == AudioSessionStateInactive, "inactive before Start", state);
  expect(IAudioClient_Start(first) == S_OK, "Start", 0);
  IAudioSessionControl2_GetState(control2, &state);
  expect(state == AudioSessionStateActive, "the other client's control is active", state);
  IAudioSessionControl2_GetState(capture_control, &state);
  expect(state == AudioSessionStateInactive, "the capture session of the same GUID is not", state);
  IAudioClient_Stop(first);
  IAudioSessionControl2_GetState(control1, &state);
  expect(state == AudioSessionStateInactive, "inactive after Stop", state);
  IAudioClient_Start(capture);
  IAudioSessionControl2_GetState(control1, &state);
  expect(state == AudioSessionStateInactive, "render unaffected by the capture stream", state);
  IAudioSessionControl2_GetState(capture_control, &state);
  expect(state == AudioSessionStateActive, "capture active", state);
  IAudioClient_Stop(capture);
  finish();

  start("render.c test_session: display name, icon path and grouping: defaults, NULL arguments, set and read back");
  WCHAR *text = NULL;
  GUID grouping = GUID_NULL, mine;
  expect(IAudioSessionControl2_GetDisplayName(control2, NULL) == E_POINTER, "GetDisplayName(NULL)", 0);
  IAudioSessionControl2_GetDisplayName(control2, &text);
  expect(text && !wcscmp(text, L""), "empty display name", 0);
  CoTaskMemFree(text);
  expect(IAudioSessionControl2_SetDisplayName(control2, NULL, NULL) == NULL_PTR_ERR, "SetDisplayName(NULL)", 0);
  IAudioSessionControl2_SetDisplayName(control2, L"SndMixDisplayName", NULL);
  IAudioSessionControl2_GetDisplayName(control1, &text);
  expect(text && !wcscmp(text, L"SndMixDisplayName"), "display name read through the other client's control", 0);
  CoTaskMemFree(text);
  expect(IAudioSessionControl2_GetIconPath(control2, NULL) == E_POINTER, "GetIconPath(NULL)", 0);
  expect(IAudioSessionControl2_SetIconPath(control2, NULL, NULL) == NULL_PTR_ERR, "SetIconPath(NULL)", 0);
  IAudioSessionControl2_SetIconPath(control2, L"SndMixIconPath", NULL);
  IAudioSessionControl2_GetIconPath(control2, &text);
  expect(text && !wcscmp(text, L"SndMixIconPath"), "icon path", 0);
  CoTaskMemFree(text);
  expect(IAudioSessionControl2_GetGroupingParam(control2, NULL) == NULL_PTR_ERR, "GetGroupingParam(NULL)", 0);
  IAudioSessionControl2_GetGroupingParam(control2, &grouping);
  expect(!IsEqualGUID(&grouping, &GUID_NULL), "a fresh session's grouping is not GUID_NULL", 0);
  expect(IAudioSessionControl2_SetGroupingParam(control2, NULL, NULL) == NULL_PTR_ERR, "SetGroupingParam(NULL)", 0);
  CoCreateGuid(&mine);
  IAudioSessionControl2_SetGroupingParam(control2, &mine, NULL);
  IAudioSessionControl2_GetGroupingParam(control2, &grouping);
  expect(IsEqualGUID(&grouping, &mine), "grouping read back", 0);
  finish();

  start("render.c test_session: a control keeps its client alive and outlives every client (GetState still answers)");
  ref = IAudioSessionControl2_Release(capture_control);
  expect(ref == 0, "capture control released", ref);
  ref = IAudioClient_Release(capture);
  expect(ref == 0, "capture client released", ref);
  ref = IAudioSessionControl2_Release(control1);
  expect(ref == 0, "first control released", ref);
  ref = IAudioClient_Release(first);
  expect(ref == 0, "first client released", ref);
  ref = IAudioClient_Release(second);
  expect(ref == 1, "second client kept by its control", ref);
  state = -1;
  hr = IAudioSessionControl2_GetState(control2, &state);
  expect(hr == S_OK && state == AudioSessionStateInactive, "GetState after every client is gone", hr);
  ref = IAudioSessionControl2_Release(control2);
  expect(ref == 0, "last control released", ref);
  finish();
  CoTaskMemFree(format);
  CoTaskMemFree(capture_format);
  IMMDevice_Release(capture_device);
}

static void test_volumes(IMMDevice *device) {
  GUID guid;
  CoCreateGuid(&guid);
  WAVEFORMATEX *format = NULL;
  IAudioClient *client = open_client(device, &guid, &format);
  if (!client) return;
  ISimpleAudioVolume *simple = NULL;
  IChannelAudioVolume *channels = NULL;
  IAudioClient_GetService(client, &IID_ISimpleAudioVolume, (void **)&simple);
  IAudioClient_GetService(client, &IID_IChannelAudioVolume, (void **)&channels);
  if (!simple || !channels) {
    expect(FALSE, "GetService(ISimpleAudioVolume / IChannelAudioVolume)", 0);
    return;
  }

  start("render.c test_simplevolume: NULL out RPC_X_NULL_REF_POINTER, -1 and 2 E_INVALIDARG, mute apart from volume");
  float level = 0;
  BOOL mute = TRUE;
  expect(ISimpleAudioVolume_GetMasterVolume(simple, NULL) == NULL_PTR_ERR, "GetMasterVolume(NULL)", 0);
  ISimpleAudioVolume_GetMasterVolume(simple, &level);
  expect(level == 1.0f, "starts at 1", 0);
  expect(ISimpleAudioVolume_SetMasterVolume(simple, -1.0f, NULL) == E_INVALIDARG, "-1", 0);
  expect(ISimpleAudioVolume_SetMasterVolume(simple, 2.0f, NULL) == E_INVALIDARG, "2", 0);
  expect(ISimpleAudioVolume_SetMasterVolume(simple, 0.2f, NULL) == S_OK, "0.2", 0);
  ISimpleAudioVolume_GetMasterVolume(simple, &level);
  expect(level == 0.2f, "0.2 read back", 0);
  expect(ISimpleAudioVolume_GetMute(simple, NULL) == NULL_PTR_ERR, "GetMute(NULL)", 0);
  ISimpleAudioVolume_GetMute(simple, &mute);
  expect(mute == FALSE, "not muted", 0);
  ISimpleAudioVolume_SetMute(simple, TRUE, NULL);
  ISimpleAudioVolume_GetMasterVolume(simple, &level);
  expect(level == 0.2f, "muting keeps the volume", 0);
  ISimpleAudioVolume_SetMasterVolume(simple, 1.0f, NULL);
  ISimpleAudioVolume_GetMute(simple, &mute);
  expect(mute == TRUE, "a volume change keeps the mute", 0);
  finish();

  start("render.c test_channelvolume: counts and indexes checked, NULL arguments RPC_X_NULL_REF_POINTER");
  UINT32 count = 0;
  float volumes[2] = {0.5f, 0.5f};
  expect(IChannelAudioVolume_GetChannelCount(channels, NULL) == NULL_PTR_ERR, "GetChannelCount(NULL)", 0);
  IChannelAudioVolume_GetChannelCount(channels, &count);
  expect(count == format->nChannels, "channels of the mix format", count);
  expect(IChannelAudioVolume_GetChannelVolume(channels, count, NULL) == NULL_PTR_ERR, "GetChannelVolume(n, NULL)", 0);
  expect(IChannelAudioVolume_GetChannelVolume(channels, count, &level) == E_INVALIDARG, "GetChannelVolume(n)", 0);
  expect(IChannelAudioVolume_SetChannelVolume(channels, count, -1.0f, NULL) == E_INVALIDARG, "SetChannelVolume(n)", 0);
  expect(IChannelAudioVolume_SetChannelVolume(channels, 0, -1.0f, NULL) == E_INVALIDARG, "-1", 0);
  expect(IChannelAudioVolume_SetChannelVolume(channels, 0, 2.0f, NULL) == E_INVALIDARG, "2", 0);
  expect(IChannelAudioVolume_SetChannelVolume(channels, 0, 0.2f, NULL) == S_OK, "0.2", 0);
  IChannelAudioVolume_GetChannelVolume(channels, 0, &level);
  expect(level == 0.2f, "0.2 read back", 0);
  expect(IChannelAudioVolume_GetAllVolumes(channels, count, NULL) == NULL_PTR_ERR, "GetAllVolumes(NULL)", 0);
  expect(IChannelAudioVolume_GetAllVolumes(channels, count - 1, volumes) == E_INVALIDARG, "GetAllVolumes(n-1)", 0);
  expect(IChannelAudioVolume_SetAllVolumes(channels, count, NULL, NULL) == NULL_PTR_ERR, "SetAllVolumes(NULL)", 0);
  expect(IChannelAudioVolume_SetAllVolumes(channels, count - 1, volumes, NULL) == E_INVALIDARG, "SetAllVolumes(n-1)", 0);
  expect(IChannelAudioVolume_SetAllVolumes(channels, count, volumes, NULL) == S_OK, "SetAllVolumes", 0);
  finish();
  ISimpleAudioVolume_Release(simple);
  IChannelAudioVolume_Release(channels);
  IAudioClient_Release(client);
  CoTaskMemFree(format);
}

static BOOL listed(IAudioSessionEnumerator *list, const WCHAR *name) {
  int count = 0;
  BOOL found = FALSE;
  IAudioSessionEnumerator_GetCount(list, &count);
  for (int i = 0; i < count; i++) {
    IAudioSessionControl *control = NULL;
    WCHAR *text = NULL;
    IAudioSessionEnumerator_GetSession(list, i, &control);
    if (!control) continue;
    IAudioSessionControl_GetDisplayName(control, &text);
    if (text && !wcscmp(text, name)) found = TRUE;
    CoTaskMemFree(text);
    IAudioSessionControl_Release(control);
  }
  return found;
}

static void test_session_creation(IMMDeviceEnumerator *enumerator, IMMDevice *device) {
  start("render.c test_session_creation: an enumerator is a snapshot; identifiers are <device>|<exe>%b<GUID>[|1%b<pid>]; sessions persist");
  GUID guid1, guid2;
  CoCreateGuid(&guid1);
  CoCreateGuid(&guid2);
  IAudioSessionManager *manager = NULL;
  IAudioSessionManager2 *manager2 = NULL;
  ISimpleAudioVolume *simple = NULL;
  IAudioSessionControl *control = NULL;
  IAudioSessionEnumerator *before = NULL, *after = NULL;
  IMMDevice_Activate(device, &IID_IAudioSessionManager, CLSCTX_INPROC_SERVER, NULL, (void **)&manager);
  if (!manager) {
    expect(FALSE, "Activate(IAudioSessionManager)", 0);
    return;
  }
  IAudioSessionManager_GetSimpleAudioVolume(manager, &guid1, FALSE, &simple);
  ISimpleAudioVolume_SetMasterVolume(simple, 0.6f, NULL);
  IAudioSessionManager_GetAudioSessionControl(manager, &guid1, 0, &control);
  IAudioSessionControl_SetDisplayName(control, L"sndmix_session1", NULL);
  IAudioSessionControl_Release(control);
  IAudioSessionManager_QueryInterface(manager, &IID_IAudioSessionManager2, (void **)&manager2);
  IAudioSessionManager2_GetSessionEnumerator(manager2, &before);
  IAudioSessionManager_GetAudioSessionControl(manager, &guid2, 0, &control);
  IAudioSessionControl_SetDisplayName(control, L"sndmix_session2", NULL);
  IAudioSessionControl_Release(control);
  IAudioSessionManager2_GetSessionEnumerator(manager2, &after);
  expect(before && after && before != after, "two enumerators are two objects", 0);
  expect(listed(before, L"sndmix_session1") && !listed(before, L"sndmix_session2"), "the first lists only the session before it", 0);
  expect(listed(after, L"sndmix_session1") && listed(after, L"sndmix_session2"), "the second lists both", 0);

  WCHAR *device_id = NULL, *text = NULL, exe[MAX_PATH], guid_text[39], expected[1024];
  DWORD size = MAX_PATH;
  IMMDevice_GetId(device, &device_id);
  QueryFullProcessImageNameW(GetCurrentProcess(), PROCESS_NAME_NATIVE, exe, &size);
  StringFromGUID2(&guid1, guid_text, 39);
  IAudioSessionControl2 *control2 = NULL;
  IAudioSessionManager_GetAudioSessionControl(manager, &guid1, 0, &control);
  IAudioSessionControl_QueryInterface(control, &IID_IAudioSessionControl2, (void **)&control2);
  IAudioSessionControl2_GetSessionIdentifier(control2, &text);
  swprintf(expected, 1024, L"%ls|%ls%%b%ls", device_id, exe, guid_text);
  expect(text && !wcscmp(text, expected), "session identifier", 0);
  CoTaskMemFree(text);
  IAudioSessionControl2_GetSessionInstanceIdentifier(control2, &text);
  swprintf(expected, 1024, L"%ls|%ls%%b%ls|1%%b%lu", device_id, exe, guid_text, GetCurrentProcessId());
  expect(text && !wcscmp(text, expected), "session instance identifier", 0);
  CoTaskMemFree(text);
  CoTaskMemFree(device_id);
  IAudioSessionControl2_Release(control2);
  IAudioSessionControl_Release(control);
  IAudioSessionEnumerator_Release(before);
  IAudioSessionEnumerator_Release(after);
  ISimpleAudioVolume_Release(simple);
  IAudioSessionManager_Release(manager);
  IAudioSessionManager2_Release(manager2);

  /* Released completely: a stream opened later in that session finds its volume. */
  WAVEFORMATEX *format = NULL;
  IAudioClient *client = open_client(device, &guid1, &format);
  if (client) {
    float level = 0;
    IAudioClient_GetService(client, &IID_ISimpleAudioVolume, (void **)&simple);
    if (simple) {
      ISimpleAudioVolume_GetMasterVolume(simple, &level);
      ISimpleAudioVolume_Release(simple);
    }
    expect(level == 0.6f, "the session's volume persisted", 0);
    IAudioClient_Release(client);
  }
  CoTaskMemFree(format);
  finish();
}

static void test_endpoint_volume(IMMDevice *device) {
  start("render.c test_endpointvolume: GetVolumeRange with a NULL is E_POINTER, below the range E_INVALIDARG, SetMute(same) S_OK or S_FALSE");
  IAudioEndpointVolume *volume = NULL;
  IMMDevice_Activate(device, &IID_IAudioEndpointVolume, CLSCTX_INPROC_SERVER, NULL, (void **)&volume);
  if (!volume) {
    expect(FALSE, "Activate(IAudioEndpointVolume)", 0);
    return;
  }
  float min = 0, max = 0, increment = 0, level = 0;
  BOOL mute = FALSE;
  expect(IAudioEndpointVolume_GetVolumeRange(volume, &min, NULL, NULL) == E_POINTER, "GetVolumeRange NULLs", 0);
  expect(IAudioEndpointVolume_GetVolumeRange(volume, &min, &max, &increment) == S_OK, "GetVolumeRange", 0);
  expect(IAudioEndpointVolume_SetMasterVolumeLevel(volume, min - increment, NULL) == E_INVALIDARG, "below the range", 0);
  IAudioEndpointVolume_GetMasterVolumeLevel(volume, &level);
  expect(IAudioEndpointVolume_SetMasterVolumeLevel(volume, level, NULL) == S_OK, "the same level again", 0);
  IAudioEndpointVolume_GetMute(volume, &mute);
  HRESULT hr = IAudioEndpointVolume_SetMute(volume, mute, NULL);
  expect(hr == S_OK || hr == S_FALSE, "SetMute(same)", hr);
  IAudioEndpointVolume_Release(volume);
  finish();
}

static void test_audio_client(IMMDevice *device) {
  start("render.c test_audioclient: QueryInterface(NULL) E_POINTER, IID_NULL E_NOINTERFACE; uninitialised calls; Start twice; Stop when stopped");
  IAudioClient *client = NULL;
  IUnknown *unknown = (IUnknown *)0x1234;
  IMMDevice_Activate(device, &IID_IAudioClient, CLSCTX_INPROC_SERVER, NULL, (void **)&client);
  if (!client) {
    expect(FALSE, "Activate(IAudioClient)", 0);
    return;
  }
  expect(IAudioClient_QueryInterface(client, &IID_IUnknown, NULL) == E_POINTER, "QI(NULL)", 0);
  HRESULT hr = IAudioClient_QueryInterface(client, &GUID_NULL, (void **)&unknown);
  expect(hr == E_NOINTERFACE && !unknown, "QI(IID_NULL)", hr);
  expect(IAudioClient_Start(client) == AUDCLNT_E_NOT_INITIALIZED, "Start before Initialize", 0);
  expect(IAudioClient_Stop(client) == AUDCLNT_E_NOT_INITIALIZED, "Stop before Initialize", 0);
  expect(IAudioClient_GetService(client, &IID_ISimpleAudioVolume, (void **)&unknown) == AUDCLNT_E_NOT_INITIALIZED,
         "GetService before Initialize", 0);
  WAVEFORMATEX *format = NULL;
  IAudioClient_GetMixFormat(client, &format);
  expect(IAudioClient_Initialize(client, AUDCLNT_SHAREMODE_SHARED, 0, 5000000, 0, NULL, NULL) == E_POINTER, "Initialize(NULL format)", 0);
  expect(IAudioClient_Initialize(client, AUDCLNT_SHAREMODE_SHARED, 0, 5000000, 0, format, NULL) == S_OK, "Initialize", 0);
  expect(IAudioClient_Initialize(client, AUDCLNT_SHAREMODE_SHARED, 0, 5000000, 0, format, NULL) == AUDCLNT_E_ALREADY_INITIALIZED,
         "Initialize twice", 0);
  expect(IAudioClient_Stop(client) == S_FALSE, "Stop when stopped", 0);
  expect(IAudioClient_Start(client) == S_OK, "Start", 0);
  expect(IAudioClient_Start(client) == AUDCLNT_E_NOT_STOPPED, "Start twice", 0);
  IAudioClient_Stop(client);
  CoTaskMemFree(format);
  expect(IAudioClient_Release(client) == 0, "released", 0);
  finish();
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  CoInitializeEx(NULL, COINIT_MULTITHREADED);
  IMMDeviceEnumerator *enumerator = NULL;
  HRESULT hr = CoCreateInstance(&CLSID_MMDeviceEnumerator, NULL, CLSCTX_INPROC_SERVER, &IID_IMMDeviceEnumerator, (void **)&enumerator);
  HMODULE double_module = GetModuleHandleW(L"sndmix-coreaudio-double.dll");
  if (FAILED(hr) || !double_module) {
    printf("fail setup: CoCreateInstance(MMDeviceEnumerator) 0x%08lx, double loaded: %d\n", (unsigned long)hr, double_module != NULL);
    return 1;
  }
  add_endpoint_fn add_endpoint = (add_endpoint_fn)GetProcAddress(double_module, "dbl_endpoint_add");
  set_default_fn set_default = (set_default_fn)GetProcAddress(double_module, "dbl_set_default");
  ledger_fn ledger = (ledger_fn)GetProcAddress(double_module, "dbl_ledger");
  ledger_fn violations = (ledger_fn)GetProcAddress(double_module, "dbl_violations");
  pending_fn pending = (pending_fn)GetProcAddress(double_module, "dbl_pending");
  const char *speakers = "{0.0.0.00000000}.{5a4b9d1c-0000-4000-8000-000000000001}";
  const char *microphone = "{0.0.1.00000000}.{5a4b9d1c-0000-4000-8000-000000000002}";
  add_endpoint(speakers, "Speakers (Double Audio)", eRender, DEVICE_STATE_ACTIVE);
  add_endpoint(microphone, "Microphone (Double Audio)", eCapture, DEVICE_STATE_ACTIVE);
  set_default(eRender, -1, speakers);
  set_default(eCapture, -1, microphone);

  test_enumerator(enumerator);
  IMMDevice *device = NULL;
  IMMDeviceEnumerator_GetDefaultAudioEndpoint(enumerator, eRender, eMultimedia, &device);
  if (!device) {
    printf("fail setup: no default render endpoint\n");
    return 1;
  }
  test_session(enumerator, device);
  test_volumes(device);
  test_session_creation(enumerator, device);
  test_endpoint_volume(device);
  test_audio_client(device);
  IMMDevice_Release(device);
  IMMDeviceEnumerator_Release(enumerator);
  while (pending() > 0) Sleep(5);

  char text[8192];
  begin("the double's ledger: no reference outstanding once the program released everything");
  int outstanding = ledger(text, sizeof text);
  expect(outstanding == 0, text, outstanding);
  if (outstanding == 0) printf("ok %s\n", current);
  begin("the double saw no contract violation");
  int length = violations(text, sizeof text);
  expect(length == 0, text, length);
  if (length == 0) printf("ok %s\n", current);
  printf("done\n");
  return failures ? 1 : 0;
}
