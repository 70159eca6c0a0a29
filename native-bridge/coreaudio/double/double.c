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
/* The GUID Windows gives the System Sounds session. */
DEFINE_GUID(SUBTYPE_IEEE_FLOAT, 0x00000003, 0x0000, 0x0010, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71);
DEFINE_GUID(GUID_SYSTEM_SOUNDS, 0xA9EF3FD9, 0x4240, 0x455E, 0xA4, 0xD5, 0xF2, 0xB3, 0x30, 0x18, 0x87, 0xB2);

/* ---- diagnostics: violations, float log, call counts ------------------------------------ */

static CRITICAL_SECTION diag_cs;
static char violations[16384];
static char floats_log[16384];
static struct { const char *name; LONG count; } calls[256];
static LONG call_total;

static void append(char *buffer, size_t size, const char *format, va_list args) {
  size_t used = strlen(buffer);
  if (used + 2 >= size) return;
  vsnprintf(buffer + used, size - used - 1, format, args);
  strcat(buffer, "\n");
}

static void violation(const char *format, ...) {
  va_list args;
  va_start(args, format);
  EnterCriticalSection(&diag_cs);
  append(violations, sizeof violations, format, args);
  LeaveCriticalSection(&diag_cs);
  va_end(args);
}

static void log_float(const char *method, float value) {
  union { float f; UINT32 u; } bits = {value};
  EnterCriticalSection(&diag_cs);
  size_t used = strlen(floats_log);
  if (used + 80 < sizeof floats_log) snprintf(floats_log + used, sizeof floats_log - used, "%s 0x%08x\n", method, bits.u);
  LeaveCriticalSection(&diag_cs);
}

static void count_call(const char *name) {
  InterlockedIncrement(&call_total);
  EnterCriticalSection(&diag_cs);
  for (int i = 0; i < 256; i++) {
    if (!calls[i].name) calls[i].name = name;
    if (calls[i].name == name || !strcmp(calls[i].name, name)) {
      calls[i].count++;
      break;
    }
  }
  LeaveCriticalSection(&diag_cs);
}

/* ---- the reference ledger ------------------------------------------------------------------ */

typedef struct Obj {
  LONG ref;
  BOOL dead;
  char name[96];
  DWORD epoch; /* the audio service run it belongs to */
  void (*destroy)(struct Obj *);
  struct Obj *next;
} Obj;

static Obj *all_objects;
static DWORD service_epoch = 1;
static BOOL service_running = TRUE;

static void obj_init(Obj *obj, const char *name, void (*destroy)(Obj *)) {
  obj->ref = 1;
  obj->dead = FALSE;
  snprintf(obj->name, sizeof obj->name, "%s", name);
  obj->epoch = service_epoch;
  obj->destroy = destroy;
  EnterCriticalSection(&diag_cs);
  obj->next = all_objects;
  all_objects = obj;
  LeaveCriticalSection(&diag_cs);
}

static ULONG obj_addref(Obj *obj) {
  if (obj->dead) {
    violation("AddRef on a released %s", obj->name);
    return 0;
  }
  return InterlockedIncrement(&obj->ref);
}

static ULONG obj_release(Obj *obj);

/* Checks every call: counted, the caller's apartment, a released object, the service. */
static HRESULT enter(Obj *obj, const char *method, BOOL needs_service) {
  APTTYPE type;
  APTTYPEQUALIFIER qualifier;
  count_call(method);
  if (FAILED(CoGetApartmentType(&type, &qualifier)))
    violation("%s called on a thread in no COM apartment (thread %lu)", method, GetCurrentThreadId());
  if (obj->dead) {
    violation("%s called on a released %s", method, obj->name);
    return E_UNEXPECTED;
  }
  if (needs_service && (!service_running || obj->epoch != service_epoch)) return AUDCLNT_E_SERVICE_NOT_RUNNING;
  return S_OK;
}
#define ENTER(obj, method, service)                \
  do {                                             \
    HRESULT entered_ = enter((obj), method, service); \
    if (entered_ != S_OK) return entered_;         \
  } while (0)

/* ---- locks ----------------------------------------------------------------------------------- */

/* The audio service's lock: Register*, GetState, Release, GetSessionEnumerator and the
 * scripting exports take it. The delivery lock is held while sinks are called; Unregister*
 * takes it, so a sink is never called after Unregister* returned. */
static CRITICAL_SECTION service_cs, delivery_cs;
static const char *service_holder = "nobody";
static LONG service_depth;
static const char *delivery_holder = "nobody";

static BOOL take(CRITICAL_SECTION *cs, const char *who, const char **holder, const char *what) {
  DWORD started = GetTickCount();
  while (!TryEnterCriticalSection(cs)) {
    if (GetTickCount() - started > LOCK_TIMEOUT_MS) {
      violation("deadlock: %s waited %d ms for the %s held by %s", who, LOCK_TIMEOUT_MS, what, *holder);
      return FALSE;
    }
    Sleep(1);
  }
  return TRUE;
}

static BOOL lock_service(const char *who) {
  if (!take(&service_cs, who, &service_holder, "audio service lock")) return FALSE;
  if (service_depth++ == 0) service_holder = who;
  return TRUE;
}

static void unlock_service(void) {
  if (--service_depth == 0) service_holder = "nobody";
  LeaveCriticalSection(&service_cs);
}

static BOOL lock_delivery(const char *who) {
  if (!take(&delivery_cs, who, &delivery_holder, "notification delivery (a sink call in flight)")) return FALSE;
  delivery_holder = who;
  return TRUE;
}

static void unlock_delivery(void) {
  delivery_holder = "nobody";
  LeaveCriticalSection(&delivery_cs);
}

static ULONG obj_release(Obj *obj) {
  if (obj->dead) {
    violation("Release on a released %s", obj->name);
    return 0;
  }
  LONG ref = InterlockedDecrement(&obj->ref);
  if (ref == 0) {
    if (!lock_service("Release")) return 0;
    obj->dead = TRUE;
    if (obj->destroy) obj->destroy(obj);
    unlock_service();
  }
  if (ref < 0) violation("Release of %s below zero", obj->name);
  return ref < 0 ? 0 : (ULONG)ref;
}

/* ---- the watchdog: no thread may wait on a sink for more than 200 ms ---------------------- */

static struct { volatile LONG busy; DWORD thread; DWORD started; const char *what; BOOL reported; } sink_calls[32];

static int sink_call_begin(const char *what) {
  for (int i = 0; i < 32; i++) {
    if (InterlockedCompareExchange(&sink_calls[i].busy, 1, 0) == 0) {
      sink_calls[i].thread = GetCurrentThreadId();
      sink_calls[i].started = GetTickCount();
      sink_calls[i].what = what;
      sink_calls[i].reported = FALSE;
      return i;
    }
  }
  return -1;
}

static void sink_call_end(int slot) {
  if (slot >= 0) InterlockedExchange(&sink_calls[slot].busy, 0);
}

static DWORD WINAPI watchdog_thread(void *unused) {
  (void)unused;
  for (;;) {
    Sleep(20);
    DWORD now = GetTickCount();
    for (int i = 0; i < 32; i++) {
      if (!sink_calls[i].busy || sink_calls[i].reported) continue;
      DWORD waited = now - sink_calls[i].started;
      if (waited > WATCHDOG_MS) {
        sink_calls[i].reported = TRUE;
        violation("watchdog: thread %lu waited more than %d ms on %s", sink_calls[i].thread, WATCHDOG_MS, sink_calls[i].what);
      }
    }
  }
  return 0;
}

/* ---- strings ----------------------------------------------------------------------------------- */

static WCHAR *wide_from_utf8(const char *text) {
  if (!text) return NULL;
  int length = MultiByteToWideChar(CP_UTF8, 0, text, -1, NULL, 0);
  WCHAR *wide = HeapAlloc(GetProcessHeap(), 0, length * sizeof(WCHAR));
  MultiByteToWideChar(CP_UTF8, 0, text, -1, wide, length);
  return wide;
}

static WCHAR *heap_wcsdup(const WCHAR *text) {
  WCHAR *copy = HeapAlloc(GetProcessHeap(), 0, (wcslen(text) + 1) * sizeof(WCHAR));
  wcscpy(copy, text);
  return copy;
}

static HRESULT co_string(const WCHAR *text, LPWSTR *out) {
  *out = CoTaskMemAlloc((wcslen(text) + 1) * sizeof(WCHAR));
  if (!*out) return E_OUTOFMEMORY;
  wcscpy(*out, text);
  return S_OK;
}

static void guid_text(const GUID *guid, WCHAR out[39]) { StringFromGUID2(guid, out, 39); }

/* ---- the model: endpoints, sessions, streams, registrations ----------------------------------- */

typedef struct Endpoint {
  WCHAR id[160];
  WCHAR name[160];
  EDataFlow flow;
  DWORD state;
  BOOL removed;
  float volume;
  BOOL mute;
  float channel_volume[MAX_CHANNELS];
  UINT channels;
  float peak;
  struct Endpoint *next;
} Endpoint;

typedef struct Session {
  Endpoint *endpoint;
  GUID guid;
  DWORD pid;
  BOOL cross_process;
  BOOL system_sounds;
  BOOL hidden; /* reported by OnSessionCreated, not yet in enumerations */
  BOOL disconnected;
  DWORD epoch;
  WCHAR *display_name;
  WCHAR *icon_path;
  WCHAR exe[300];
  GUID grouping;
  float volume;
  BOOL mute;
  float channel_volume[MAX_CHANNELS];
  UINT channels;
  AudioSessionState state;
  int active_streams;
  float peak;
  struct Session *next;
} Session;

typedef struct Stream {
  Session *session;
  BOOL started;
  BOOL released;
} Stream;

enum RegKind { REG_ENDPOINTS, REG_ENDPOINT_VOLUME, REG_SESSION_EVENTS, REG_SESSION_CREATED, REG_DUCKING };
static const char *REG_NAMES[] = {"IMMNotificationClient", "IAudioEndpointVolumeCallback", "IAudioSessionEvents",
                                  "IAudioSessionNotification", "IAudioVolumeDuckNotification"};

typedef struct Reg {
  enum RegKind kind;
  IUnknown *sink;
  void *owner;  /* the object it was registered on */
  void *target; /* Endpoint* or Session* */
  BOOL counted; /* the double holds a reference (all but IMMNotificationClient) */
  struct Reg *next;
} Reg;

static Endpoint *endpoints;
static Session *sessions;
static Stream streams[2048];
static int stream_count;
static Reg *regs;
static WCHAR defaults[2][3][160];

static Endpoint *find_endpoint(const WCHAR *id) {
  for (Endpoint *endpoint = endpoints; endpoint; endpoint = endpoint->next)
    if (!endpoint->removed && !wcscmp(endpoint->id, id)) return endpoint;
  return NULL;
}

static Endpoint *find_endpoint_utf8(const char *id) {
  WCHAR *wide = wide_from_utf8(id);
  Endpoint *endpoint = wide ? find_endpoint(wide) : NULL;
  HeapFree(GetProcessHeap(), 0, wide);
  return endpoint;
}

static BOOL usable_session(Session *session) {
  return !session->disconnected && session->epoch == service_epoch && service_running &&
         session->state != AudioSessionStateExpired;
}

static void default_exe(WCHAR *out, size_t size, DWORD pid) {
  if (pid == GetCurrentProcessId()) {
    DWORD length = (DWORD)size;
    if (QueryFullProcessImageNameW(GetCurrentProcess(), PROCESS_NAME_NATIVE, out, &length)) return;
  }
  swprintf(out, size, L"\\Device\\HarddiskVolume3\\Program Files\\App%lu\\app.exe", pid);
}

static Session *find_session(Endpoint *endpoint, const GUID *guid, DWORD pid, BOOL cross_process) {
  for (Session *session = sessions; session; session = session->next) {
    if (session->endpoint != endpoint || !usable_session(session) || session->system_sounds) continue;
    if (!IsEqualGUID(&session->guid, guid) || session->cross_process != cross_process) continue;
    if (!cross_process && session->pid != pid) continue;
    return session;
  }
  return NULL;
}

static Session *new_session(Endpoint *endpoint, const GUID *guid, DWORD pid, BOOL cross_process) {
  Session *session = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *session);
  session->endpoint = endpoint;
  session->guid = *guid;
  session->pid = pid;
  session->cross_process = cross_process;
  session->epoch = service_epoch;
  session->display_name = heap_wcsdup(L"");
  session->icon_path = heap_wcsdup(L"");
  default_exe(session->exe, 300, pid);
  /* Windows gives a fresh session a grouping GUID that is not GUID_NULL (render.c). */
  CoCreateGuid(&session->grouping);
  session->volume = 1.0f;
  session->channels = 2;
  for (int i = 0; i < MAX_CHANNELS; i++) session->channel_volume[i] = 1.0f;
  session->state = AudioSessionStateInactive;
  session->next = sessions;
  sessions = session;
  return session;
}

/* ---- notifications: a queue served by the double's own thread ------------------------------ */

enum EventKind {
  EV_DEVICE_ADDED, EV_DEVICE_REMOVED, EV_DEVICE_STATE, EV_DEFAULT, EV_PROPERTY,
  EV_ENDPOINT_VOLUME,
  EV_DISPLAY_NAME, EV_ICON_PATH, EV_SIMPLE_VOLUME, EV_CHANNEL_VOLUME, EV_GROUPING, EV_STATE, EV_DISCONNECTED,
  EV_SESSION_CREATED, EV_DUCK, EV_UNDUCK
};

typedef struct Event {
  enum EventKind kind;
  Endpoint *endpoint;
  Session *session;
  WCHAR text[300];
  GUID context;
  GUID guid;
  DWORD number;
  int flow, role;
  float volume;
  BOOL mute;
  float channels[MAX_CHANNELS];
  UINT channel_count;
  struct Event *next;
} Event;

static CRITICAL_SECTION queue_cs;
static HANDLE queue_signal;
static Event *queue_head, *queue_tail;
static volatile LONG pending;

static Event *new_event(enum EventKind kind) {
  Event *event = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *event);
  event->kind = kind;
  return event;
}

static void post(Event *event) {
  InterlockedIncrement(&pending);
  EnterCriticalSection(&queue_cs);
  if (queue_tail) queue_tail->next = event;
  else queue_head = event;
  queue_tail = event;
  LeaveCriticalSection(&queue_cs);
  SetEvent(queue_signal);
}

static void post_session(enum EventKind kind, Session *session, const GUID *context) {
  Event *event = new_event(kind);
  event->session = session;
  event->endpoint = session->endpoint;
  if (context) event->context = *context;
  event->volume = session->volume;
  event->mute = session->mute;
  event->channel_count = session->channels;
  memcpy(event->channels, session->channel_volume, sizeof event->channels);
  event->guid = session->grouping;
  event->number = session->state;
  if (kind == EV_DISPLAY_NAME) wcsncpy(event->text, session->display_name, 299);
  if (kind == EV_ICON_PATH) wcsncpy(event->text, session->icon_path, 299);
  post(event);
}

static void post_endpoint_volume(Endpoint *endpoint, const GUID *context) {
  Event *event = new_event(EV_ENDPOINT_VOLUME);
  event->endpoint = endpoint;
  if (context) event->context = *context;
  event->volume = endpoint->volume;
  event->mute = endpoint->mute;
  event->channel_count = endpoint->channels;
  memcpy(event->channels, endpoint->channel_volume, sizeof event->channels);
  post(event);
}

typedef struct Control Control;
typedef struct Client Client;
static Control *new_control(Session *session, const char *as, Client *client);
static IAudioSessionControl *control_as_session_control(Control *control);

static BOOL reg_matches(Reg *reg, Event *event) {
  switch (event->kind) {
  case EV_DEVICE_ADDED: case EV_DEVICE_REMOVED: case EV_DEVICE_STATE: case EV_DEFAULT: case EV_PROPERTY:
    return reg->kind == REG_ENDPOINTS;
  case EV_ENDPOINT_VOLUME:
    return reg->kind == REG_ENDPOINT_VOLUME && reg->target == event->endpoint;
  case EV_SESSION_CREATED:
    return reg->kind == REG_SESSION_CREATED && reg->target == event->endpoint;
  case EV_DUCK: case EV_UNDUCK:
    return reg->kind == REG_DUCKING && reg->target == event->endpoint;
  default:
    return reg->kind == REG_SESSION_EVENTS && reg->target == event->session;
  }
}

static const char *event_method(enum EventKind kind) {
  static const char *names[] = {
    "IMMNotificationClient::OnDeviceAdded", "IMMNotificationClient::OnDeviceRemoved",
    "IMMNotificationClient::OnDeviceStateChanged", "IMMNotificationClient::OnDefaultDeviceChanged",
    "IMMNotificationClient::OnPropertyValueChanged", "IAudioEndpointVolumeCallback::OnNotify",
    "IAudioSessionEvents::OnDisplayNameChanged", "IAudioSessionEvents::OnIconPathChanged",
    "IAudioSessionEvents::OnSimpleVolumeChanged", "IAudioSessionEvents::OnChannelVolumeChanged",
    "IAudioSessionEvents::OnGroupingParamChanged", "IAudioSessionEvents::OnStateChanged",
    "IAudioSessionEvents::OnSessionDisconnected", "IAudioSessionNotification::OnSessionCreated",
    "IAudioVolumeDuckNotification::OnVolumeDuckNotification", "IAudioVolumeDuckNotification::OnVolumeUnduckNotification"};
  return names[kind];
}

static HRESULT call_sink_method(Reg *reg, Event *event, IAudioSessionControl *created);

/* Windows ignores what a sink answers; the double reports a failure: a live sink of ours answers S_OK. */
static void call_sink(Reg *reg, Event *event, IAudioSessionControl *created) {
  int slot = sink_call_begin(event_method(event->kind));
  HRESULT hr = call_sink_method(reg, event, created);
  sink_call_end(slot);
  if (FAILED(hr)) violation("%s answered 0x%08lx: the sink is not alive", event_method(event->kind), (unsigned long)hr);
}

static HRESULT call_sink_method(Reg *reg, Event *event, IAudioSessionControl *created) {
  IUnknown *sink = reg->sink;
  switch (event->kind) {
  case EV_DEVICE_ADDED: return IMMNotificationClient_OnDeviceAdded((IMMNotificationClient *)sink, event->endpoint->id);
  case EV_DEVICE_REMOVED: return IMMNotificationClient_OnDeviceRemoved((IMMNotificationClient *)sink, event->endpoint->id);
  case EV_DEVICE_STATE:
    return IMMNotificationClient_OnDeviceStateChanged((IMMNotificationClient *)sink, event->endpoint->id, event->number);
  case EV_DEFAULT:
    return IMMNotificationClient_OnDefaultDeviceChanged((IMMNotificationClient *)sink, event->flow, event->role,
                                                  event->text[0] ? event->text : NULL);
  case EV_PROPERTY:
    return IMMNotificationClient_OnPropertyValueChanged((IMMNotificationClient *)sink, event->endpoint->id, PKEY_Device_FriendlyName);
  case EV_ENDPOINT_VOLUME: {
    union { AUDIO_VOLUME_NOTIFICATION_DATA data; BYTE bytes[sizeof(AUDIO_VOLUME_NOTIFICATION_DATA) + MAX_CHANNELS * sizeof(float)]; } u;
    u.data.guidEventContext = event->context;
    u.data.bMuted = event->mute;
    u.data.fMasterVolume = event->volume;
    u.data.nChannels = event->channel_count;
    memcpy(u.data.afChannelVolumes, event->channels, event->channel_count * sizeof(float));
    return IAudioEndpointVolumeCallback_OnNotify((IAudioEndpointVolumeCallback *)sink, &u.data);
  }
  case EV_DISPLAY_NAME: return IAudioSessionEvents_OnDisplayNameChanged((IAudioSessionEvents *)sink, event->text, &event->context);
  case EV_ICON_PATH: return IAudioSessionEvents_OnIconPathChanged((IAudioSessionEvents *)sink, event->text, &event->context);
  case EV_SIMPLE_VOLUME:
    return IAudioSessionEvents_OnSimpleVolumeChanged((IAudioSessionEvents *)sink, event->volume, event->mute, &event->context);
  case EV_CHANNEL_VOLUME:
    return IAudioSessionEvents_OnChannelVolumeChanged((IAudioSessionEvents *)sink, event->channel_count, event->channels,
                                               event->number, &event->context);
  case EV_GROUPING: return IAudioSessionEvents_OnGroupingParamChanged((IAudioSessionEvents *)sink, &event->guid, &event->context);
  case EV_STATE: return IAudioSessionEvents_OnStateChanged((IAudioSessionEvents *)sink, (AudioSessionState)event->number);
  case EV_DISCONNECTED:
    return IAudioSessionEvents_OnSessionDisconnected((IAudioSessionEvents *)sink, (AudioSessionDisconnectReason)event->number);
  case EV_SESSION_CREATED: return IAudioSessionNotification_OnSessionCreated((IAudioSessionNotification *)sink, created);
  case EV_DUCK:
    return IAudioVolumeDuckNotification_OnVolumeDuckNotification((IAudioVolumeDuckNotification *)sink, event->text, event->number);
  case EV_UNDUCK: return IAudioVolumeDuckNotification_OnVolumeUnduckNotification((IAudioVolumeDuckNotification *)sink, event->text);
  }
  return S_OK;
}

static void deliver(Event *event) {
  Reg *targets[256];
  int count = 0;
  if (!lock_delivery("the notification thread")) return;
  if (!lock_service("the notification thread")) {
    unlock_delivery();
    return;
  }
  if (event->kind == EV_DEFAULT || event->kind == EV_DEVICE_ADDED || event->kind == EV_DEVICE_REMOVED ||
      event->kind == EV_DEVICE_STATE || event->kind == EV_PROPERTY || event->kind == EV_ENDPOINT_VOLUME ||
      event->kind == EV_DUCK || event->kind == EV_UNDUCK || event->kind == EV_SESSION_CREATED || event->session) {
    for (Reg *reg = regs; reg && count < 256; reg = reg->next)
      if (reg_matches(reg, event)) targets[count++] = reg;
  }
  Control *created = NULL;
  if (event->kind == EV_SESSION_CREATED && count > 0) created = new_control(event->session, "IAudioSessionControl (lent to OnSessionCreated)", NULL);
  unlock_service();
  /* Registrations cannot go away while the delivery lock is held (Unregister* takes it). */
  for (int i = 0; i < count; i++) call_sink(targets[i], event, created ? control_as_session_control(created) : NULL);
  if (created) IAudioSessionControl_Release(control_as_session_control(created));
  unlock_delivery();
}

static DWORD WINAPI notification_thread(void *unused) {
  (void)unused;
  CoInitializeEx(NULL, COINIT_MULTITHREADED);
  for (;;) {
    WaitForSingleObject(queue_signal, INFINITE);
    for (;;) {
      EnterCriticalSection(&queue_cs);
      Event *event = queue_head;
      if (event) {
        queue_head = event->next;
        if (!queue_head) queue_tail = NULL;
      }
      LeaveCriticalSection(&queue_cs);
      if (!event) break;
      deliver(event);
      HeapFree(GetProcessHeap(), 0, event);
      InterlockedDecrement(&pending);
    }
  }
  return 0;
}

/* Register*: the sink's AddRef ("If the method succeeds, it calls the AddRef method on the
 * client's interface"), on the caller's thread, while holding the service lock. */
static HRESULT add_reg(enum RegKind kind, IUnknown *sink, REFIID iid, void *owner, void *target, const char *method) {
  (void)iid;
  if (!sink) return E_POINTER;
  if (!lock_service(method)) return E_DEADLOCK;
  IUnknown *held = sink;
  BOOL counted = kind != REG_ENDPOINTS;
  if (counted) {
    int slot = sink_call_begin(method);
    IUnknown_AddRef(sink);
    sink_call_end(slot);
  }
  Reg *reg = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *reg);
  reg->kind = kind;
  reg->sink = held;
  reg->owner = owner;
  reg->target = target;
  reg->counted = counted;
  reg->next = regs;
  regs = reg;
  unlock_service();
  return S_OK;
}

static volatile LONG fail_next_unregister;

/* Unregister*: waits for a delivery in flight, then releases the double's reference. */
static HRESULT remove_reg(enum RegKind kind, IUnknown *sink, void *owner, const char *method) {
  if (!sink) return E_POINTER;
  /* Scripted: this Unregister* fails and the sink stays registered (still called). */
  HRESULT scripted = InterlockedExchange(&fail_next_unregister, 0);
  if (scripted) return scripted;
  if (!lock_delivery(method)) return E_DEADLOCK;
  if (!lock_service(method)) {
    unlock_delivery();
    return E_DEADLOCK;
  }
  Reg **link = &regs, *found = NULL;
  for (; *link; link = &(*link)->next) {
    if ((*link)->kind == kind && (*link)->sink == sink && (kind == REG_ENDPOINTS || (*link)->owner == owner)) {
      found = *link;
      *link = found->next;
      break;
    }
  }
  unlock_service();
  if (found && found->counted) {
    int slot = sink_call_begin(method);
    IUnknown_Release(found->sink);
    sink_call_end(slot);
  }
  unlock_delivery();
  if (!found) return E_NOTFOUND;
  HeapFree(GetProcessHeap(), 0, found);
  return S_OK;
}

/* ---- IMMDeviceEnumerator, IMMDeviceCollection, IMMDevice + IMMEndpoint, IPropertyStore ------ */

typedef struct Enumerator { IMMDeviceEnumerator iface; Obj obj; } Enumerator;
typedef struct Collection { IMMDeviceCollection iface; Obj obj; Endpoint *items[64]; UINT count; } Collection;
typedef struct Device { IMMDevice iface; IMMEndpoint endpoint_iface; Obj obj; Endpoint *endpoint; } Device;
typedef struct Store { IPropertyStore iface; Obj obj; Endpoint *endpoint; } Store;
typedef struct EndpointVolume { IAudioEndpointVolume iface; Obj obj; Endpoint *endpoint; } EndpointVolume;
typedef struct EndpointMeter { IAudioMeterInformation iface; Obj obj; Endpoint *endpoint; } EndpointMeter;

#define IMPL(type, member, pointer) CONTAINING_RECORD(pointer, type, member)

static Device *new_device(Endpoint *endpoint);
static HRESULT activate(Device *device, REFIID iid, void **out);

static HRESULT query(void *self, REFIID iid, void **out, const IID *const *iids, Obj *obj) {
  if (!out) return E_POINTER;
  for (int i = 0; iids[i]; i++) {
    if (IsEqualIID(iid, iids[i])) {
      *out = self;
      obj_addref(obj);
      return S_OK;
    }
  }
  *out = NULL;
  return E_NOINTERFACE;
}

static Enumerator *the_enumerator;

static HRESULT STDMETHODCALLTYPE enum_QueryInterface(IMMDeviceEnumerator *self, REFIID iid, void **out) {
  static const IID *const iids[] = {&IID_IUnknown, &IID_IMMDeviceEnumerator, NULL};
  return query(self, iid, out, iids, &IMPL(Enumerator, iface, self)->obj);
}
static ULONG STDMETHODCALLTYPE enum_AddRef(IMMDeviceEnumerator *self) { return obj_addref(&IMPL(Enumerator, iface, self)->obj); }
static ULONG STDMETHODCALLTYPE enum_Release(IMMDeviceEnumerator *self) { return obj_release(&IMPL(Enumerator, iface, self)->obj); }

static void collection_destroy(Obj *obj) { (void)obj; }
static IMMDeviceCollectionVtbl collection_vtbl;

static HRESULT STDMETHODCALLTYPE enum_EnumAudioEndpoints(IMMDeviceEnumerator *self, EDataFlow flow, DWORD mask, IMMDeviceCollection **out) {
  Enumerator *me = IMPL(Enumerator, iface, self);
  ENTER(&me->obj, "IMMDeviceEnumerator::EnumAudioEndpoints", FALSE);
  if (!out) return E_POINTER;
  *out = NULL;
  if ((UINT)flow > eAll || mask > DEVICE_STATEMASK_ALL) return E_INVALIDARG;
  if (!lock_service("IMMDeviceEnumerator::EnumAudioEndpoints")) return E_DEADLOCK;
  Collection *collection = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *collection);
  collection->iface.lpVtbl = &collection_vtbl;
  obj_init(&collection->obj, "IMMDeviceCollection", collection_destroy);
  /* Oldest first, as they were added. */
  Endpoint *ordered[64];
  int n = 0;
  for (Endpoint *endpoint = endpoints; endpoint && n < 64; endpoint = endpoint->next) ordered[n++] = endpoint;
  for (int i = n - 1; i >= 0; i--) {
    Endpoint *endpoint = ordered[i];
    if (endpoint->removed || !(endpoint->state & mask)) continue;
    if (flow != eAll && endpoint->flow != flow) continue;
    collection->items[collection->count++] = endpoint;
  }
  unlock_service();
  *out = &collection->iface;
  return S_OK;
}

static HRESULT STDMETHODCALLTYPE enum_GetDefaultAudioEndpoint(IMMDeviceEnumerator *self, EDataFlow flow, ERole role, IMMDevice **out) {
  Enumerator *me = IMPL(Enumerator, iface, self);
  ENTER(&me->obj, "IMMDeviceEnumerator::GetDefaultAudioEndpoint", FALSE);
  if (!out) return E_POINTER;
  *out = NULL;
  if ((UINT)flow > eCapture || (UINT)role > eCommunications) return E_INVALIDARG;
  if (!lock_service("IMMDeviceEnumerator::GetDefaultAudioEndpoint")) return E_DEADLOCK;
  Endpoint *endpoint = find_endpoint(defaults[flow][role]);
  HRESULT hr = E_NOTFOUND;
  if (endpoint && endpoint->state == DEVICE_STATE_ACTIVE) {
    *out = &new_device(endpoint)->iface;
    hr = S_OK;
  }
  unlock_service();
  return hr;
}

static HRESULT STDMETHODCALLTYPE enum_GetDevice(IMMDeviceEnumerator *self, LPCWSTR id, IMMDevice **out) {
  Enumerator *me = IMPL(Enumerator, iface, self);
  ENTER(&me->obj, "IMMDeviceEnumerator::GetDevice", FALSE);
  if (!id || !out) return E_POINTER;
  *out = NULL;
  if (wcsncmp(id, L"{0.0.", 5)) return E_INVALIDARG; /* "notadevice": E_INVALIDARG (mmdevenum.c) */
  if (!lock_service("IMMDeviceEnumerator::GetDevice")) return E_DEADLOCK;
  Endpoint *endpoint = find_endpoint(id);
  if (endpoint) *out = &new_device(endpoint)->iface;
  unlock_service();
  return endpoint ? S_OK : E_NOTFOUND;
}

static HRESULT STDMETHODCALLTYPE enum_RegisterEndpointNotificationCallback(IMMDeviceEnumerator *self, IMMNotificationClient *client) {
  Enumerator *me = IMPL(Enumerator, iface, self);
  ENTER(&me->obj, "IMMDeviceEnumerator::RegisterEndpointNotificationCallback", FALSE);
  /* Windows never calls the client's IUnknown here (mmdevenum.c fails on any such call). */
  return add_reg(REG_ENDPOINTS, (IUnknown *)client, &IID_IMMNotificationClient, self, NULL,
                 "IMMDeviceEnumerator::RegisterEndpointNotificationCallback");
}

static HRESULT STDMETHODCALLTYPE enum_UnregisterEndpointNotificationCallback(IMMDeviceEnumerator *self, IMMNotificationClient *client) {
  Enumerator *me = IMPL(Enumerator, iface, self);
  ENTER(&me->obj, "IMMDeviceEnumerator::UnregisterEndpointNotificationCallback", FALSE);
  return remove_reg(REG_ENDPOINTS, (IUnknown *)client, self, "IMMDeviceEnumerator::UnregisterEndpointNotificationCallback");
}

static IMMDeviceEnumeratorVtbl enumerator_vtbl = {
  enum_QueryInterface, enum_AddRef, enum_Release, enum_EnumAudioEndpoints, enum_GetDefaultAudioEndpoint, enum_GetDevice,
  enum_RegisterEndpointNotificationCallback, enum_UnregisterEndpointNotificationCallback};

static void enumerator_destroy(Obj *obj) {
  if (the_enumerator && &the_enumerator->obj == obj) the_enumerator = NULL;
}

static HRESULT STDMETHODCALLTYPE col_QueryInterface(IMMDeviceCollection *self, REFIID iid, void **out) {
  static const IID *const iids[] = {&IID_IUnknown, &IID_IMMDeviceCollection, NULL};
  return query(self, iid, out, iids, &IMPL(Collection, iface, self)->obj);
}
static ULONG STDMETHODCALLTYPE col_AddRef(IMMDeviceCollection *self) { return obj_addref(&IMPL(Collection, iface, self)->obj); }
static ULONG STDMETHODCALLTYPE col_Release(IMMDeviceCollection *self) { return obj_release(&IMPL(Collection, iface, self)->obj); }
static HRESULT STDMETHODCALLTYPE col_GetCount(IMMDeviceCollection *self, UINT *count) {
  Collection *me = IMPL(Collection, iface, self);
  ENTER(&me->obj, "IMMDeviceCollection::GetCount", FALSE);
  if (!count) return E_POINTER;
  *count = me->count;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE col_Item(IMMDeviceCollection *self, UINT index, IMMDevice **out) {
  Collection *me = IMPL(Collection, iface, self);
  ENTER(&me->obj, "IMMDeviceCollection::Item", FALSE);
  if (!out) return E_POINTER;
  *out = NULL;
  if (index >= me->count) return E_INVALIDARG;
  if (!lock_service("IMMDeviceCollection::Item")) return E_DEADLOCK;
  *out = &new_device(me->items[index])->iface;
  unlock_service();
  return S_OK;
}
static IMMDeviceCollectionVtbl collection_vtbl = {col_QueryInterface, col_AddRef, col_Release, col_GetCount, col_Item};

/* IMMDevice and IMMEndpoint: one object, two interfaces. */
static HRESULT device_query(Device *me, REFIID iid, void **out) {
  if (!out) return E_POINTER;
  if (IsEqualIID(iid, &IID_IUnknown) || IsEqualIID(iid, &IID_IMMDevice)) *out = &me->iface;
  else if (IsEqualIID(iid, &IID_IMMEndpoint)) *out = &me->endpoint_iface;
  else {
    *out = NULL;
    return E_NOINTERFACE;
  }
  obj_addref(&me->obj);
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE dev_QueryInterface(IMMDevice *self, REFIID iid, void **out) { return device_query(IMPL(Device, iface, self), iid, out); }
static ULONG STDMETHODCALLTYPE dev_AddRef(IMMDevice *self) { return obj_addref(&IMPL(Device, iface, self)->obj); }
static ULONG STDMETHODCALLTYPE dev_Release(IMMDevice *self) { return obj_release(&IMPL(Device, iface, self)->obj); }
static HRESULT STDMETHODCALLTYPE dev_Activate(IMMDevice *self, REFIID iid, DWORD context, PROPVARIANT *params, void **out) {
  Device *me = IMPL(Device, iface, self);
  (void)context;
  (void)params;
  ENTER(&me->obj, "IMMDevice::Activate", FALSE);
  if (!out) return E_POINTER;
  *out = NULL;
  if (!lock_service("IMMDevice::Activate")) return E_DEADLOCK;
  HRESULT hr = activate(me, iid, out);
  unlock_service();
  return hr;
}
static IPropertyStoreVtbl store_vtbl;
static void plain_destroy(Obj *obj) { (void)obj; }
static HRESULT STDMETHODCALLTYPE dev_OpenPropertyStore(IMMDevice *self, DWORD access, IPropertyStore **out) {
  Device *me = IMPL(Device, iface, self);
  ENTER(&me->obj, "IMMDevice::OpenPropertyStore", FALSE);
  if (!out) return E_POINTER;
  (void)access;
  Store *store = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *store);
  store->iface.lpVtbl = &store_vtbl;
  store->endpoint = me->endpoint;
  obj_init(&store->obj, "IPropertyStore", plain_destroy);
  *out = &store->iface;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE dev_GetId(IMMDevice *self, LPWSTR *out) {
  Device *me = IMPL(Device, iface, self);
  ENTER(&me->obj, "IMMDevice::GetId", FALSE);
  if (!out) return E_POINTER;
  return co_string(me->endpoint->id, out);
}
static HRESULT STDMETHODCALLTYPE dev_GetState(IMMDevice *self, DWORD *state) {
  Device *me = IMPL(Device, iface, self);
  ENTER(&me->obj, "IMMDevice::GetState", FALSE);
  if (!state) return E_POINTER;
  *state = me->endpoint->removed ? DEVICE_STATE_NOTPRESENT : me->endpoint->state;
  return S_OK;
}
static IMMDeviceVtbl device_vtbl = {dev_QueryInterface, dev_AddRef, dev_Release, dev_Activate, dev_OpenPropertyStore, dev_GetId, dev_GetState};

static HRESULT STDMETHODCALLTYPE ep_QueryInterface(IMMEndpoint *self, REFIID iid, void **out) { return device_query(IMPL(Device, endpoint_iface, self), iid, out); }
static ULONG STDMETHODCALLTYPE ep_AddRef(IMMEndpoint *self) { return obj_addref(&IMPL(Device, endpoint_iface, self)->obj); }
static ULONG STDMETHODCALLTYPE ep_Release(IMMEndpoint *self) { return obj_release(&IMPL(Device, endpoint_iface, self)->obj); }
static HRESULT STDMETHODCALLTYPE ep_GetDataFlow(IMMEndpoint *self, EDataFlow *flow) {
  Device *me = IMPL(Device, endpoint_iface, self);
  ENTER(&me->obj, "IMMEndpoint::GetDataFlow", FALSE);
  if (!flow) return E_POINTER;
  *flow = me->endpoint->flow;
  return S_OK;
}
static IMMEndpointVtbl endpoint_vtbl = {ep_QueryInterface, ep_AddRef, ep_Release, ep_GetDataFlow};

static Device *new_device(Endpoint *endpoint) {
  Device *device = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *device);
  device->iface.lpVtbl = &device_vtbl;
  device->endpoint_iface.lpVtbl = &endpoint_vtbl;
  device->endpoint = endpoint;
  obj_init(&device->obj, "IMMDevice", plain_destroy);
  return device;
}

static HRESULT STDMETHODCALLTYPE store_QueryInterface(IPropertyStore *self, REFIID iid, void **out) {
  static const IID *const iids[] = {&IID_IUnknown, &IID_IPropertyStore, NULL};
  return query(self, iid, out, iids, &IMPL(Store, iface, self)->obj);
}
static ULONG STDMETHODCALLTYPE store_AddRef(IPropertyStore *self) { return obj_addref(&IMPL(Store, iface, self)->obj); }
static ULONG STDMETHODCALLTYPE store_Release(IPropertyStore *self) { return obj_release(&IMPL(Store, iface, self)->obj); }
static HRESULT STDMETHODCALLTYPE store_GetCount(IPropertyStore *self, DWORD *count) {
  Store *me = IMPL(Store, iface, self);
  ENTER(&me->obj, "IPropertyStore::GetCount", FALSE);
  if (!count) return E_POINTER;
  *count = 1;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE store_GetAt(IPropertyStore *self, DWORD index, PROPERTYKEY *key) {
  Store *me = IMPL(Store, iface, self);
  ENTER(&me->obj, "IPropertyStore::GetAt", FALSE);
  if (!key) return E_POINTER;
  if (index != 0) return E_INVALIDARG;
  *key = PKEY_Device_FriendlyName;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE store_GetValue(IPropertyStore *self, REFPROPERTYKEY key, PROPVARIANT *value) {
  Store *me = IMPL(Store, iface, self);
  ENTER(&me->obj, "IPropertyStore::GetValue", FALSE);
  if (!value) return E_POINTER;
  PropVariantInit(value);
  if (IsEqualGUID(&key->fmtid, &PKEY_Device_FriendlyName.fmtid) && key->pid == PKEY_Device_FriendlyName.pid) {
    value->vt = VT_LPWSTR;
    return co_string(me->endpoint->name, &value->pwszVal);
  }
  return S_OK; /* VT_EMPTY: a property the endpoint does not have */
}
static HRESULT STDMETHODCALLTYPE store_SetValue(IPropertyStore *self, REFPROPERTYKEY key, REFPROPVARIANT value) {
  (void)key;
  (void)value;
  ENTER(&IMPL(Store, iface, self)->obj, "IPropertyStore::SetValue", FALSE);
  return STG_E_ACCESSDENIED;
}
static HRESULT STDMETHODCALLTYPE store_Commit(IPropertyStore *self) {
  ENTER(&IMPL(Store, iface, self)->obj, "IPropertyStore::Commit", FALSE);
  return STG_E_ACCESSDENIED;
}
static IPropertyStoreVtbl store_vtbl = {store_QueryInterface, store_AddRef, store_Release, store_GetCount, store_GetAt,
                                              store_GetValue, store_SetValue, store_Commit};

/* ---- IAudioEndpointVolume, IAudioMeterInformation (endpoint) --------------------------------- */

#define MIN_DB (-65.25f)
#define MAX_DB 0.0f
#define STEP_DB 0.03125f

static float scalar_to_db(float scalar) { return scalar <= 0.0f ? MIN_DB : MIN_DB + (MAX_DB - MIN_DB) * scalar; }
static float db_to_scalar(float db) { return (db - MIN_DB) / (MAX_DB - MIN_DB); }

#define EV_ME(self) EndpointVolume *me = IMPL(EndpointVolume, iface, self)
static HRESULT STDMETHODCALLTYPE aev_QueryInterface(IAudioEndpointVolume *self, REFIID iid, void **out) {
  static const IID *const iids[] = {&IID_IUnknown, &IID_IAudioEndpointVolume, NULL};
  return query(self, iid, out, iids, &IMPL(EndpointVolume, iface, self)->obj);
}
static ULONG STDMETHODCALLTYPE aev_AddRef(IAudioEndpointVolume *self) { return obj_addref(&IMPL(EndpointVolume, iface, self)->obj); }
static ULONG STDMETHODCALLTYPE aev_Release(IAudioEndpointVolume *self) { return obj_release(&IMPL(EndpointVolume, iface, self)->obj); }
static HRESULT endpoint_usable(EndpointVolume *me) {
  return me->endpoint->removed || me->endpoint->state != DEVICE_STATE_ACTIVE ? AUDCLNT_E_DEVICE_INVALIDATED : S_OK;
}
static HRESULT STDMETHODCALLTYPE aev_RegisterControlChangeNotify(IAudioEndpointVolume *self, IAudioEndpointVolumeCallback *sink) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::RegisterControlChangeNotify", FALSE);
  return add_reg(REG_ENDPOINT_VOLUME, (IUnknown *)sink, &IID_IAudioEndpointVolumeCallback, me, me->endpoint,
                 "IAudioEndpointVolume::RegisterControlChangeNotify");
}
static HRESULT STDMETHODCALLTYPE aev_UnregisterControlChangeNotify(IAudioEndpointVolume *self, IAudioEndpointVolumeCallback *sink) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::UnregisterControlChangeNotify", FALSE);
  return remove_reg(REG_ENDPOINT_VOLUME, (IUnknown *)sink, me, "IAudioEndpointVolume::UnregisterControlChangeNotify");
}
static HRESULT STDMETHODCALLTYPE aev_GetChannelCount(IAudioEndpointVolume *self, UINT *count) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::GetChannelCount", FALSE);
  if (!count) return E_POINTER;
  *count = me->endpoint->channels;
  return S_OK;
}
static HRESULT set_endpoint_volume(EndpointVolume *me, float scalar, LPCGUID context, const char *method) {
  log_float(method, scalar);
  HRESULT hr = endpoint_usable(me);
  if (FAILED(hr)) return hr;
  if (!(scalar >= 0.0f && scalar <= 1.0f)) return E_INVALIDARG;
  if (!lock_service(method)) return E_DEADLOCK;
  BOOL changed = me->endpoint->volume != scalar;
  me->endpoint->volume = scalar;
  for (UINT i = 0; i < me->endpoint->channels; i++) me->endpoint->channel_volume[i] = scalar;
  if (changed) post_endpoint_volume(me->endpoint, context);
  unlock_service();
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE aev_SetMasterVolumeLevel(IAudioEndpointVolume *self, float db, LPCGUID context) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::SetMasterVolumeLevel", FALSE);
  log_float("IAudioEndpointVolume::SetMasterVolumeLevel", db);
  if (!(db >= MIN_DB && db <= MAX_DB)) return E_INVALIDARG;
  return set_endpoint_volume(me, db_to_scalar(db), context, "IAudioEndpointVolume::SetMasterVolumeLevel(scalar)");
}
static HRESULT STDMETHODCALLTYPE aev_SetMasterVolumeLevelScalar(IAudioEndpointVolume *self, float level, LPCGUID context) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::SetMasterVolumeLevelScalar", FALSE);
  return set_endpoint_volume(me, level, context, "IAudioEndpointVolume::SetMasterVolumeLevelScalar");
}
static HRESULT STDMETHODCALLTYPE aev_GetMasterVolumeLevel(IAudioEndpointVolume *self, float *db) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::GetMasterVolumeLevel", FALSE);
  if (!db) return E_POINTER;
  *db = scalar_to_db(me->endpoint->volume);
  return endpoint_usable(me);
}
static HRESULT STDMETHODCALLTYPE aev_GetMasterVolumeLevelScalar(IAudioEndpointVolume *self, float *level) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::GetMasterVolumeLevelScalar", FALSE);
  if (!level) return E_POINTER;
  *level = me->endpoint->volume;
  return endpoint_usable(me);
}
static HRESULT STDMETHODCALLTYPE aev_SetChannelVolumeLevel(IAudioEndpointVolume *self, UINT channel, float db, LPCGUID context) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::SetChannelVolumeLevel", FALSE);
  log_float("IAudioEndpointVolume::SetChannelVolumeLevel", db);
  if (channel >= me->endpoint->channels || !(db >= MIN_DB && db <= MAX_DB)) return E_INVALIDARG;
  me->endpoint->channel_volume[channel] = db_to_scalar(db);
  post_endpoint_volume(me->endpoint, context);
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE aev_SetChannelVolumeLevelScalar(IAudioEndpointVolume *self, UINT channel, float level, LPCGUID context) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::SetChannelVolumeLevelScalar", FALSE);
  log_float("IAudioEndpointVolume::SetChannelVolumeLevelScalar", level);
  if (channel >= me->endpoint->channels || !(level >= 0.0f && level <= 1.0f)) return E_INVALIDARG;
  me->endpoint->channel_volume[channel] = level;
  post_endpoint_volume(me->endpoint, context);
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE aev_GetChannelVolumeLevel(IAudioEndpointVolume *self, UINT channel, float *db) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::GetChannelVolumeLevel", FALSE);
  if (!db) return E_POINTER;
  if (channel >= me->endpoint->channels) return E_INVALIDARG;
  *db = scalar_to_db(me->endpoint->channel_volume[channel]);
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE aev_GetChannelVolumeLevelScalar(IAudioEndpointVolume *self, UINT channel, float *level) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::GetChannelVolumeLevelScalar", FALSE);
  if (!level) return E_POINTER;
  if (channel >= me->endpoint->channels) return E_INVALIDARG;
  *level = me->endpoint->channel_volume[channel];
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE aev_SetMute(IAudioEndpointVolume *self, BOOL mute, LPCGUID context) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::SetMute", FALSE);
  HRESULT hr = endpoint_usable(me);
  if (FAILED(hr)) return hr;
  if (!lock_service("IAudioEndpointVolume::SetMute")) return E_DEADLOCK;
  BOOL changed = !me->endpoint->mute != !mute;
  me->endpoint->mute = mute != FALSE;
  if (changed) post_endpoint_volume(me->endpoint, context);
  unlock_service();
  return changed ? S_OK : S_FALSE; /* the same state again: S_FALSE, nobody notified */
}
static HRESULT STDMETHODCALLTYPE aev_GetMute(IAudioEndpointVolume *self, BOOL *mute) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::GetMute", FALSE);
  if (!mute) return E_POINTER;
  *mute = me->endpoint->mute;
  return endpoint_usable(me);
}
static HRESULT STDMETHODCALLTYPE aev_GetVolumeStepInfo(IAudioEndpointVolume *self, UINT *step, UINT *count) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::GetVolumeStepInfo", FALSE);
  if (!step || !count) return E_POINTER;
  *count = 51;
  *step = (UINT)(me->endpoint->volume * 50.0f + 0.5f);
  return S_OK;
}
static HRESULT step_volume(EndpointVolume *me, float delta, LPCGUID context, const char *method) {
  float level = me->endpoint->volume + delta;
  if (level < 0.0f) level = 0.0f;
  if (level > 1.0f) level = 1.0f;
  return set_endpoint_volume(me, level, context, method);
}
static HRESULT STDMETHODCALLTYPE aev_VolumeStepUp(IAudioEndpointVolume *self, LPCGUID context) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::VolumeStepUp", FALSE);
  return step_volume(me, 0.02f, context, "IAudioEndpointVolume::VolumeStepUp");
}
static HRESULT STDMETHODCALLTYPE aev_VolumeStepDown(IAudioEndpointVolume *self, LPCGUID context) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::VolumeStepDown", FALSE);
  return step_volume(me, -0.02f, context, "IAudioEndpointVolume::VolumeStepDown");
}
static HRESULT STDMETHODCALLTYPE aev_QueryHardwareSupport(IAudioEndpointVolume *self, DWORD *mask) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::QueryHardwareSupport", FALSE);
  if (!mask) return E_POINTER;
  *mask = 0;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE aev_GetVolumeRange(IAudioEndpointVolume *self, float *min, float *max, float *increment) {
  EV_ME(self);
  ENTER(&me->obj, "IAudioEndpointVolume::GetVolumeRange", FALSE);
  if (!min || !max || !increment) return E_POINTER; /* render.c: any NULL is E_POINTER */
  *min = MIN_DB;
  *max = MAX_DB;
  *increment = STEP_DB;
  return S_OK;
}
static IAudioEndpointVolumeVtbl endpoint_volume_vtbl = {
  aev_QueryInterface, aev_AddRef, aev_Release, aev_RegisterControlChangeNotify, aev_UnregisterControlChangeNotify,
  aev_GetChannelCount, aev_SetMasterVolumeLevel, aev_SetMasterVolumeLevelScalar, aev_GetMasterVolumeLevel,
  aev_GetMasterVolumeLevelScalar, aev_SetChannelVolumeLevel, aev_SetChannelVolumeLevelScalar, aev_GetChannelVolumeLevel,
  aev_GetChannelVolumeLevelScalar, aev_SetMute, aev_GetMute, aev_GetVolumeStepInfo, aev_VolumeStepUp, aev_VolumeStepDown,
  aev_QueryHardwareSupport, aev_GetVolumeRange};

static HRESULT STDMETHODCALLTYPE em_QueryInterface(IAudioMeterInformation *self, REFIID iid, void **out) {
  static const IID *const iids[] = {&IID_IUnknown, &IID_IAudioMeterInformation, NULL};
  return query(self, iid, out, iids, &IMPL(EndpointMeter, iface, self)->obj);
}
static ULONG STDMETHODCALLTYPE em_AddRef(IAudioMeterInformation *self) { return obj_addref(&IMPL(EndpointMeter, iface, self)->obj); }
static ULONG STDMETHODCALLTYPE em_Release(IAudioMeterInformation *self) { return obj_release(&IMPL(EndpointMeter, iface, self)->obj); }
static HRESULT STDMETHODCALLTYPE em_GetPeakValue(IAudioMeterInformation *self, float *peak) {
  EndpointMeter *me = IMPL(EndpointMeter, iface, self);
  ENTER(&me->obj, "IAudioMeterInformation::GetPeakValue", TRUE);
  if (!peak) return E_POINTER;
  *peak = me->endpoint->peak;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE em_GetMeteringChannelCount(IAudioMeterInformation *self, UINT *count) {
  EndpointMeter *me = IMPL(EndpointMeter, iface, self);
  ENTER(&me->obj, "IAudioMeterInformation::GetMeteringChannelCount", TRUE);
  if (!count) return E_POINTER;
  *count = me->endpoint->channels;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE em_GetChannelsPeakValues(IAudioMeterInformation *self, UINT32 count, float *peaks) {
  EndpointMeter *me = IMPL(EndpointMeter, iface, self);
  ENTER(&me->obj, "IAudioMeterInformation::GetChannelsPeakValues", TRUE);
  if (!peaks) return E_POINTER;
  if (count != me->endpoint->channels) return E_INVALIDARG;
  for (UINT32 i = 0; i < count; i++) peaks[i] = me->endpoint->peak;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE em_QueryHardwareSupport(IAudioMeterInformation *self, DWORD *mask) {
  EndpointMeter *me = IMPL(EndpointMeter, iface, self);
  ENTER(&me->obj, "IAudioMeterInformation::QueryHardwareSupport", TRUE);
  if (!mask) return E_POINTER;
  *mask = 0;
  return S_OK;
}
static IAudioMeterInformationVtbl endpoint_meter_vtbl = {em_QueryInterface, em_AddRef, em_Release, em_GetPeakValue,
                                                               em_GetMeteringChannelCount, em_GetChannelsPeakValues,
                                                               em_QueryHardwareSupport};

/* ---- sessions: IAudioSessionManager2, IAudioSessionEnumerator, the session control --------- */

typedef struct Manager { IAudioSessionManager2 iface; Obj obj; Endpoint *endpoint; } Manager;
typedef struct SessionList { IAudioSessionEnumerator iface; Obj obj; Control *items[256]; int count; } SessionList;
struct Control {
  IAudioSessionControl2 iface;
  ISimpleAudioVolume simple_iface;
  IChannelAudioVolume channel_iface;
  IAudioMeterInformation meter_iface;
  Obj obj;
  Session *session;
  Client *client; /* the stream client it came from (GetService), which it keeps alive */
};

static IAudioSessionControl *control_as_session_control(Control *control) { return (IAudioSessionControl *)&control->iface; }

static HRESULT control_query(Control *me, REFIID iid, void **out) {
  if (!out) return E_POINTER;
  if (IsEqualIID(iid, &IID_IUnknown) || IsEqualIID(iid, &IID_IAudioSessionControl) || IsEqualIID(iid, &IID_IAudioSessionControl2))
    *out = &me->iface;
  else if (IsEqualIID(iid, &IID_ISimpleAudioVolume)) *out = &me->simple_iface;
  else if (IsEqualIID(iid, &IID_IChannelAudioVolume)) *out = &me->channel_iface;
  else if (IsEqualIID(iid, &IID_IAudioMeterInformation)) *out = &me->meter_iface;
  else {
    *out = NULL;
    return E_NOINTERFACE;
  }
  obj_addref(&me->obj);
  return S_OK;
}

/* A control of a session that is gone answers AUDCLNT_E_DEVICE_INVALIDATED. */
static HRESULT session_usable(Session *session) {
  if (!service_running || session->epoch != service_epoch) return AUDCLNT_E_SERVICE_NOT_RUNNING;
  if (session->disconnected || session->endpoint->removed || session->endpoint->state != DEVICE_STATE_ACTIVE)
    return AUDCLNT_E_DEVICE_INVALIDATED;
  return S_OK;
}
#define SESSION_USABLE(me)                           \
  do {                                               \
    HRESULT usable_ = session_usable((me)->session); \
    if (FAILED(usable_)) return usable_;             \
  } while (0)

#define CT_ME(self) Control *me = IMPL(Control, iface, self)
static HRESULT STDMETHODCALLTYPE ct_QueryInterface(IAudioSessionControl2 *self, REFIID iid, void **out) { return control_query(IMPL(Control, iface, self), iid, out); }
static ULONG STDMETHODCALLTYPE ct_AddRef(IAudioSessionControl2 *self) { return obj_addref(&IMPL(Control, iface, self)->obj); }
static ULONG STDMETHODCALLTYPE ct_Release(IAudioSessionControl2 *self) { return obj_release(&IMPL(Control, iface, self)->obj); }
static HRESULT STDMETHODCALLTYPE ct_GetState(IAudioSessionControl2 *self, AudioSessionState *state) {
  CT_ME(self);
  ENTER(&me->obj, "IAudioSessionControl::GetState", FALSE);
  if (!state) return NULL_PTR_ERR;
  if (!lock_service("IAudioSessionControl::GetState")) return E_DEADLOCK;
  HRESULT hr = session_usable(me->session);
  *state = me->session->state;
  unlock_service();
  return hr;
}
static HRESULT STDMETHODCALLTYPE ct_GetDisplayName(IAudioSessionControl2 *self, LPWSTR *name) {
  CT_ME(self);
  ENTER(&me->obj, "IAudioSessionControl::GetDisplayName", FALSE);
  if (!name) return E_POINTER;
  SESSION_USABLE(me);
  return co_string(me->session->display_name, name);
}
static HRESULT set_text(Control *me, WCHAR **field, LPCWSTR text, LPCGUID context, enum EventKind kind, const char *method) {
  if (!text) return NULL_PTR_ERR;
  SESSION_USABLE(me);
  if (!lock_service(method)) return E_DEADLOCK;
  HeapFree(GetProcessHeap(), 0, *field);
  *field = heap_wcsdup(text);
  post_session(kind, me->session, context);
  unlock_service();
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE ct_SetDisplayName(IAudioSessionControl2 *self, LPCWSTR name, LPCGUID context) {
  CT_ME(self);
  ENTER(&me->obj, "IAudioSessionControl::SetDisplayName", FALSE);
  return set_text(me, &me->session->display_name, name, context, EV_DISPLAY_NAME, "IAudioSessionControl::SetDisplayName");
}
static HRESULT STDMETHODCALLTYPE ct_GetIconPath(IAudioSessionControl2 *self, LPWSTR *path) {
  CT_ME(self);
  ENTER(&me->obj, "IAudioSessionControl::GetIconPath", FALSE);
  if (!path) return E_POINTER;
  SESSION_USABLE(me);
  return co_string(me->session->icon_path, path);
}
static HRESULT STDMETHODCALLTYPE ct_SetIconPath(IAudioSessionControl2 *self, LPCWSTR path, LPCGUID context) {
  CT_ME(self);
  ENTER(&me->obj, "IAudioSessionControl::SetIconPath", FALSE);
  return set_text(me, &me->session->icon_path, path, context, EV_ICON_PATH, "IAudioSessionControl::SetIconPath");
}
static HRESULT STDMETHODCALLTYPE ct_GetGroupingParam(IAudioSessionControl2 *self, GUID *grouping) {
  CT_ME(self);
  ENTER(&me->obj, "IAudioSessionControl::GetGroupingParam", FALSE);
  if (!grouping) return NULL_PTR_ERR;
  SESSION_USABLE(me);
  *grouping = me->session->grouping;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE ct_SetGroupingParam(IAudioSessionControl2 *self, LPCGUID grouping, LPCGUID context) {
  CT_ME(self);
  ENTER(&me->obj, "IAudioSessionControl::SetGroupingParam", FALSE);
  if (!grouping) return NULL_PTR_ERR;
  SESSION_USABLE(me);
  if (!lock_service("IAudioSessionControl::SetGroupingParam")) return E_DEADLOCK;
  me->session->grouping = *grouping;
  post_session(EV_GROUPING, me->session, context);
  unlock_service();
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE ct_RegisterAudioSessionNotification(IAudioSessionControl2 *self, IAudioSessionEvents *sink) {
  CT_ME(self);
  ENTER(&me->obj, "IAudioSessionControl::RegisterAudioSessionNotification", FALSE);
  if (!sink) return E_POINTER;
  SESSION_USABLE(me);
  return add_reg(REG_SESSION_EVENTS, (IUnknown *)sink, &IID_IAudioSessionEvents, me, me->session,
                 "IAudioSessionControl::RegisterAudioSessionNotification");
}
static HRESULT STDMETHODCALLTYPE ct_UnregisterAudioSessionNotification(IAudioSessionControl2 *self, IAudioSessionEvents *sink) {
  CT_ME(self);
  /* Works on a session that is gone, so that a client can always let go of its sink. */
  ENTER(&me->obj, "IAudioSessionControl::UnregisterAudioSessionNotification", FALSE);
  return remove_reg(REG_SESSION_EVENTS, (IUnknown *)sink, me, "IAudioSessionControl::UnregisterAudioSessionNotification");
}
static void identifier(Session *session, WCHAR *out, size_t size, BOOL instance) {
  WCHAR guid[39];
  guid_text(&session->guid, guid);
  if (session->system_sounds) swprintf(out, size, L"%ls|#%%b%ls", session->endpoint->id, guid);
  else swprintf(out, size, L"%ls|%ls%%b%ls", session->endpoint->id, session->exe, guid);
  if (instance) {
    size_t used = wcslen(out);
    swprintf(out + used, size - used, L"|1%%b%lu", session->pid);
  }
}
static HRESULT STDMETHODCALLTYPE ct_GetSessionIdentifier(IAudioSessionControl2 *self, LPWSTR *out) {
  CT_ME(self);
  ENTER(&me->obj, "IAudioSessionControl2::GetSessionIdentifier", FALSE);
  if (!out) return E_POINTER;
  SESSION_USABLE(me);
  WCHAR text[800];
  identifier(me->session, text, 800, FALSE);
  return co_string(text, out);
}
static HRESULT STDMETHODCALLTYPE ct_GetSessionInstanceIdentifier(IAudioSessionControl2 *self, LPWSTR *out) {
  CT_ME(self);
  ENTER(&me->obj, "IAudioSessionControl2::GetSessionInstanceIdentifier", FALSE);
  if (!out) return E_POINTER;
  SESSION_USABLE(me);
  WCHAR text[800];
  identifier(me->session, text, 800, TRUE);
  return co_string(text, out);
}
static HRESULT STDMETHODCALLTYPE ct_GetProcessId(IAudioSessionControl2 *self, DWORD *pid) {
  CT_ME(self);
  ENTER(&me->obj, "IAudioSessionControl2::GetProcessId", FALSE);
  if (!pid) return E_POINTER;
  SESSION_USABLE(me);
  *pid = me->session->pid;
  return me->session->cross_process ? AUDCLNT_S_NO_SINGLE_PROCESS : S_OK;
}
static HRESULT STDMETHODCALLTYPE ct_IsSystemSoundsSession(IAudioSessionControl2 *self) {
  CT_ME(self);
  ENTER(&me->obj, "IAudioSessionControl2::IsSystemSoundsSession", FALSE);
  SESSION_USABLE(me);
  return me->session->system_sounds ? S_OK : S_FALSE;
}
static HRESULT STDMETHODCALLTYPE ct_SetDuckingPreference(IAudioSessionControl2 *self, BOOL optOut) {
  CT_ME(self);
  (void)optOut;
  ENTER(&me->obj, "IAudioSessionControl2::SetDuckingPreference", FALSE);
  SESSION_USABLE(me);
  return S_OK;
}
static IAudioSessionControl2Vtbl control_vtbl = {
  ct_QueryInterface, ct_AddRef, ct_Release, ct_GetState, ct_GetDisplayName, ct_SetDisplayName, ct_GetIconPath, ct_SetIconPath,
  ct_GetGroupingParam, ct_SetGroupingParam, ct_RegisterAudioSessionNotification, ct_UnregisterAudioSessionNotification,
  ct_GetSessionIdentifier, ct_GetSessionInstanceIdentifier, ct_GetProcessId, ct_IsSystemSoundsSession, ct_SetDuckingPreference};

#define SV_ME(self) Control *me = IMPL(Control, simple_iface, self)
static HRESULT STDMETHODCALLTYPE sv_QueryInterface(ISimpleAudioVolume *self, REFIID iid, void **out) { return control_query(IMPL(Control, simple_iface, self), iid, out); }
static ULONG STDMETHODCALLTYPE sv_AddRef(ISimpleAudioVolume *self) { return obj_addref(&IMPL(Control, simple_iface, self)->obj); }
static ULONG STDMETHODCALLTYPE sv_Release(ISimpleAudioVolume *self) { return obj_release(&IMPL(Control, simple_iface, self)->obj); }
static HRESULT STDMETHODCALLTYPE sv_SetMasterVolume(ISimpleAudioVolume *self, float level, LPCGUID context) {
  SV_ME(self);
  ENTER(&me->obj, "ISimpleAudioVolume::SetMasterVolume", FALSE);
  log_float("ISimpleAudioVolume::SetMasterVolume", level);
  if (!(level >= 0.0f && level <= 1.0f)) return E_INVALIDARG;
  SESSION_USABLE(me);
  if (!lock_service("ISimpleAudioVolume::SetMasterVolume")) return E_DEADLOCK;
  me->session->volume = level;
  post_session(EV_SIMPLE_VOLUME, me->session, context);
  unlock_service();
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE sv_GetMasterVolume(ISimpleAudioVolume *self, float *level) {
  SV_ME(self);
  ENTER(&me->obj, "ISimpleAudioVolume::GetMasterVolume", FALSE);
  if (!level) return NULL_PTR_ERR;
  SESSION_USABLE(me);
  *level = me->session->volume;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE sv_SetMute(ISimpleAudioVolume *self, BOOL mute, LPCGUID context) {
  SV_ME(self);
  ENTER(&me->obj, "ISimpleAudioVolume::SetMute", FALSE);
  SESSION_USABLE(me);
  if (!lock_service("ISimpleAudioVolume::SetMute")) return E_DEADLOCK;
  me->session->mute = mute != FALSE;
  post_session(EV_SIMPLE_VOLUME, me->session, context);
  unlock_service();
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE sv_GetMute(ISimpleAudioVolume *self, BOOL *mute) {
  SV_ME(self);
  ENTER(&me->obj, "ISimpleAudioVolume::GetMute", FALSE);
  if (!mute) return NULL_PTR_ERR;
  SESSION_USABLE(me);
  *mute = me->session->mute;
  return S_OK;
}
static ISimpleAudioVolumeVtbl simple_vtbl = {sv_QueryInterface, sv_AddRef, sv_Release, sv_SetMasterVolume,
                                                   sv_GetMasterVolume, sv_SetMute, sv_GetMute};

#define CV_ME(self) Control *me = IMPL(Control, channel_iface, self)
static HRESULT STDMETHODCALLTYPE cv_QueryInterface(IChannelAudioVolume *self, REFIID iid, void **out) { return control_query(IMPL(Control, channel_iface, self), iid, out); }
static ULONG STDMETHODCALLTYPE cv_AddRef(IChannelAudioVolume *self) { return obj_addref(&IMPL(Control, channel_iface, self)->obj); }
static ULONG STDMETHODCALLTYPE cv_Release(IChannelAudioVolume *self) { return obj_release(&IMPL(Control, channel_iface, self)->obj); }
static HRESULT STDMETHODCALLTYPE cv_GetChannelCount(IChannelAudioVolume *self, UINT32 *count) {
  CV_ME(self);
  ENTER(&me->obj, "IChannelAudioVolume::GetChannelCount", FALSE);
  if (!count) return NULL_PTR_ERR;
  SESSION_USABLE(me);
  *count = me->session->channels;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE cv_SetChannelVolume(IChannelAudioVolume *self, UINT32 index, const float level, LPCGUID context) {
  CV_ME(self);
  ENTER(&me->obj, "IChannelAudioVolume::SetChannelVolume", FALSE);
  log_float("IChannelAudioVolume::SetChannelVolume", level);
  if (index >= me->session->channels || !(level >= 0.0f && level <= 1.0f)) return E_INVALIDARG;
  SESSION_USABLE(me);
  if (!lock_service("IChannelAudioVolume::SetChannelVolume")) return E_DEADLOCK;
  me->session->channel_volume[index] = level;
  Event *event = new_event(EV_CHANNEL_VOLUME);
  event->session = me->session;
  event->endpoint = me->session->endpoint;
  if (context) event->context = *context;
  event->channel_count = me->session->channels;
  memcpy(event->channels, me->session->channel_volume, sizeof event->channels);
  event->number = index;
  post(event);
  unlock_service();
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE cv_GetChannelVolume(IChannelAudioVolume *self, UINT32 index, float *level) {
  CV_ME(self);
  ENTER(&me->obj, "IChannelAudioVolume::GetChannelVolume", FALSE);
  if (!level) return NULL_PTR_ERR;
  if (index >= me->session->channels) return E_INVALIDARG;
  SESSION_USABLE(me);
  *level = me->session->channel_volume[index];
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE cv_SetAllVolumes(IChannelAudioVolume *self, UINT32 count, const float *levels, LPCGUID context) {
  CV_ME(self);
  ENTER(&me->obj, "IChannelAudioVolume::SetAllVolumes", FALSE);
  if (!levels) return NULL_PTR_ERR;
  if (count != me->session->channels) return E_INVALIDARG;
  for (UINT32 i = 0; i < count; i++) {
    log_float("IChannelAudioVolume::SetAllVolumes", levels[i]);
    if (!(levels[i] >= 0.0f && levels[i] <= 1.0f)) return E_INVALIDARG;
  }
  SESSION_USABLE(me);
  if (!lock_service("IChannelAudioVolume::SetAllVolumes")) return E_DEADLOCK;
  memcpy(me->session->channel_volume, levels, count * sizeof(float));
  Event *event = new_event(EV_CHANNEL_VOLUME);
  event->session = me->session;
  event->endpoint = me->session->endpoint;
  if (context) event->context = *context;
  event->channel_count = count;
  memcpy(event->channels, levels, count * sizeof(float));
  event->number = (DWORD)-1;
  post(event);
  unlock_service();
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE cv_GetAllVolumes(IChannelAudioVolume *self, UINT32 count, float *levels) {
  CV_ME(self);
  ENTER(&me->obj, "IChannelAudioVolume::GetAllVolumes", FALSE);
  if (!levels) return NULL_PTR_ERR;
  if (count != me->session->channels) return E_INVALIDARG;
  SESSION_USABLE(me);
  memcpy(levels, me->session->channel_volume, count * sizeof(float));
  return S_OK;
}
static IChannelAudioVolumeVtbl channel_vtbl = {cv_QueryInterface, cv_AddRef, cv_Release, cv_GetChannelCount,
                                                     cv_SetChannelVolume, cv_GetChannelVolume, cv_SetAllVolumes, cv_GetAllVolumes};

#define SM_ME(self) Control *me = IMPL(Control, meter_iface, self)
static HRESULT STDMETHODCALLTYPE sm_QueryInterface(IAudioMeterInformation *self, REFIID iid, void **out) { return control_query(IMPL(Control, meter_iface, self), iid, out); }
static ULONG STDMETHODCALLTYPE sm_AddRef(IAudioMeterInformation *self) { return obj_addref(&IMPL(Control, meter_iface, self)->obj); }
static ULONG STDMETHODCALLTYPE sm_Release(IAudioMeterInformation *self) { return obj_release(&IMPL(Control, meter_iface, self)->obj); }
static HRESULT STDMETHODCALLTYPE sm_GetPeakValue(IAudioMeterInformation *self, float *peak) {
  SM_ME(self);
  ENTER(&me->obj, "IAudioMeterInformation::GetPeakValue", FALSE);
  if (!peak) return E_POINTER;
  SESSION_USABLE(me);
  *peak = me->session->state == AudioSessionStateActive ? me->session->peak : 0.0f;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE sm_GetMeteringChannelCount(IAudioMeterInformation *self, UINT *count) {
  SM_ME(self);
  ENTER(&me->obj, "IAudioMeterInformation::GetMeteringChannelCount", FALSE);
  if (!count) return E_POINTER;
  *count = me->session->channels;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE sm_GetChannelsPeakValues(IAudioMeterInformation *self, UINT32 count, float *peaks) {
  SM_ME(self);
  ENTER(&me->obj, "IAudioMeterInformation::GetChannelsPeakValues", FALSE);
  if (!peaks) return E_POINTER;
  if (count != me->session->channels) return E_INVALIDARG;
  for (UINT32 i = 0; i < count; i++) peaks[i] = me->session->peak;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE sm_QueryHardwareSupport(IAudioMeterInformation *self, DWORD *mask) {
  SM_ME(self);
  ENTER(&me->obj, "IAudioMeterInformation::QueryHardwareSupport", FALSE);
  if (!mask) return E_POINTER;
  *mask = 0;
  return S_OK;
}
static IAudioMeterInformationVtbl session_meter_vtbl = {sm_QueryInterface, sm_AddRef, sm_Release, sm_GetPeakValue,
                                                              sm_GetMeteringChannelCount, sm_GetChannelsPeakValues,
                                                              sm_QueryHardwareSupport};

/* ---- IAudioClient: streams of this process ------------------------------------------------------ */

struct Client {
  IAudioClient iface;
  Obj obj;
  Endpoint *endpoint;
  int stream; /* 0 until Initialize */
  Control *control; /* what GetService(IAudioSessionControl) hands out, the same each time */
};

static void stream_set_started(Stream *stream, BOOL started);
static void stream_release(Stream *stream);

static void control_destroy(Obj *obj) {
  Control *me = CONTAINING_RECORD(obj, Control, obj);
  if (me->client) {
    if (me->client->control == me) me->client->control = NULL;
    Client *client = me->client;
    me->client = NULL;
    IAudioClient_Release(&client->iface);
  }
}

static Control *new_control(Session *session, const char *as, Client *client) {
  Control *control = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *control);
  control->iface.lpVtbl = &control_vtbl;
  control->simple_iface.lpVtbl = &simple_vtbl;
  control->channel_iface.lpVtbl = &channel_vtbl;
  control->meter_iface.lpVtbl = &session_meter_vtbl;
  control->session = session;
  char name[96];
  snprintf(name, sizeof name, "%s (session pid %lu)", as, session->pid);
  obj_init(&control->obj, name, control_destroy);
  if (client) {
    control->client = client;
    obj_addref(&client->obj);
  }
  return control;
}

#define AC_ME(self) Client *me = IMPL(Client, iface, self)
static HRESULT STDMETHODCALLTYPE ac_QueryInterface(IAudioClient *self, REFIID iid, void **out) {
  static const IID *const iids[] = {&IID_IUnknown, &IID_IAudioClient, NULL};
  return query(self, iid, out, iids, &IMPL(Client, iface, self)->obj);
}
static ULONG STDMETHODCALLTYPE ac_AddRef(IAudioClient *self) { return obj_addref(&IMPL(Client, iface, self)->obj); }
static ULONG STDMETHODCALLTYPE ac_Release(IAudioClient *self) { return obj_release(&IMPL(Client, iface, self)->obj); }
static void client_destroy(Obj *obj) {
  Client *me = CONTAINING_RECORD(obj, Client, obj);
  if (me->stream) stream_release(&streams[me->stream]);
}
static int open_stream(Endpoint *endpoint, const GUID *guid, DWORD pid, BOOL cross_process, BOOL system_sounds, BOOL hidden, const WCHAR *exe);
static HRESULT STDMETHODCALLTYPE ac_Initialize(IAudioClient *self, AUDCLNT_SHAREMODE mode, DWORD flags, REFERENCE_TIME duration,
                                               REFERENCE_TIME period, const WAVEFORMATEX *format, LPCGUID session_guid) {
  AC_ME(self);
  (void)duration;
  (void)period;
  ENTER(&me->obj, "IAudioClient::Initialize", TRUE);
  if (mode != AUDCLNT_SHAREMODE_SHARED && mode != AUDCLNT_SHAREMODE_EXCLUSIVE) return E_INVALIDARG;
  if (!format) return E_POINTER;
  if (me->stream) return AUDCLNT_E_ALREADY_INITIALIZED;
  if (!lock_service("IAudioClient::Initialize")) return E_DEADLOCK;
  me->stream = open_stream(me->endpoint, session_guid ? session_guid : &GUID_NULL, GetCurrentProcessId(),
                           (flags & AUDCLNT_STREAMFLAGS_CROSSPROCESS) != 0, FALSE, FALSE, NULL);
  unlock_service();
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE ac_GetBufferSize(IAudioClient *self, UINT32 *frames) {
  AC_ME(self);
  ENTER(&me->obj, "IAudioClient::GetBufferSize", TRUE);
  if (!frames) return E_POINTER;
  if (!me->stream) return AUDCLNT_E_NOT_INITIALIZED;
  *frames = 48000;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE ac_GetStreamLatency(IAudioClient *self, REFERENCE_TIME *latency) {
  AC_ME(self);
  ENTER(&me->obj, "IAudioClient::GetStreamLatency", TRUE);
  if (!latency) return E_POINTER;
  if (!me->stream) return AUDCLNT_E_NOT_INITIALIZED;
  *latency = 100000;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE ac_GetCurrentPadding(IAudioClient *self, UINT32 *frames) {
  AC_ME(self);
  ENTER(&me->obj, "IAudioClient::GetCurrentPadding", TRUE);
  if (!frames) return E_POINTER;
  if (!me->stream) return AUDCLNT_E_NOT_INITIALIZED;
  *frames = 0;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE ac_IsFormatSupported(IAudioClient *self, AUDCLNT_SHAREMODE mode, const WAVEFORMATEX *format, WAVEFORMATEX **closest) {
  AC_ME(self);
  (void)mode;
  ENTER(&me->obj, "IAudioClient::IsFormatSupported", TRUE);
  if (!format || (mode == AUDCLNT_SHAREMODE_SHARED && !closest)) return E_POINTER;
  if (closest) *closest = NULL;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE ac_GetMixFormat(IAudioClient *self, WAVEFORMATEX **out) {
  AC_ME(self);
  ENTER(&me->obj, "IAudioClient::GetMixFormat", TRUE);
  if (!out) return E_POINTER;
  WAVEFORMATEXTENSIBLE *format = CoTaskMemAlloc(sizeof *format);
  ZeroMemory(format, sizeof *format);
  format->Format.wFormatTag = WAVE_FORMAT_EXTENSIBLE;
  format->Format.nChannels = 2;
  format->Format.nSamplesPerSec = 48000;
  format->Format.wBitsPerSample = 32;
  format->Format.nBlockAlign = 8;
  format->Format.nAvgBytesPerSec = 48000 * 8;
  format->Format.cbSize = sizeof(WAVEFORMATEXTENSIBLE) - sizeof(WAVEFORMATEX);
  format->Samples.wValidBitsPerSample = 32;
  format->dwChannelMask = SPEAKER_FRONT_LEFT | SPEAKER_FRONT_RIGHT;
  format->SubFormat = SUBTYPE_IEEE_FLOAT;
  *out = &format->Format;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE ac_GetDevicePeriod(IAudioClient *self, REFERENCE_TIME *default_period, REFERENCE_TIME *minimum) {
  AC_ME(self);
  ENTER(&me->obj, "IAudioClient::GetDevicePeriod", TRUE);
  if (!default_period && !minimum) return E_POINTER;
  if (default_period) *default_period = 100000;
  if (minimum) *minimum = 30000;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE ac_Start(IAudioClient *self) {
  AC_ME(self);
  ENTER(&me->obj, "IAudioClient::Start", TRUE);
  if (!me->stream) return AUDCLNT_E_NOT_INITIALIZED;
  if (streams[me->stream].started) return AUDCLNT_E_NOT_STOPPED;
  if (!lock_service("IAudioClient::Start")) return E_DEADLOCK;
  stream_set_started(&streams[me->stream], TRUE);
  unlock_service();
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE ac_Stop(IAudioClient *self) {
  AC_ME(self);
  ENTER(&me->obj, "IAudioClient::Stop", TRUE);
  if (!me->stream) return AUDCLNT_E_NOT_INITIALIZED;
  if (!streams[me->stream].started) return S_FALSE;
  if (!lock_service("IAudioClient::Stop")) return E_DEADLOCK;
  stream_set_started(&streams[me->stream], FALSE);
  unlock_service();
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE ac_Reset(IAudioClient *self) {
  AC_ME(self);
  ENTER(&me->obj, "IAudioClient::Reset", TRUE);
  if (!me->stream) return AUDCLNT_E_NOT_INITIALIZED;
  return streams[me->stream].started ? AUDCLNT_E_NOT_STOPPED : S_OK;
}
static HRESULT STDMETHODCALLTYPE ac_SetEventHandle(IAudioClient *self, HANDLE handle) {
  AC_ME(self);
  ENTER(&me->obj, "IAudioClient::SetEventHandle", TRUE);
  if (!me->stream) return AUDCLNT_E_NOT_INITIALIZED;
  return handle ? AUDCLNT_E_EVENTHANDLE_NOT_EXPECTED : E_INVALIDARG;
}
static HRESULT STDMETHODCALLTYPE ac_GetService(IAudioClient *self, REFIID iid, void **out) {
  AC_ME(self);
  ENTER(&me->obj, "IAudioClient::GetService", TRUE);
  if (!out) return E_POINTER;
  *out = NULL;
  if (!me->stream) return AUDCLNT_E_NOT_INITIALIZED;
  Session *session = streams[me->stream].session;
  if (!lock_service("IAudioClient::GetService")) return E_DEADLOCK;
  HRESULT hr = S_OK;
  if (IsEqualIID(iid, &IID_IAudioSessionControl)) {
    /* The same control each time for one client; it keeps the client alive (render.c). */
    if (me->control) obj_addref(&me->control->obj);
    else me->control = new_control(session, "IAudioSessionControl (IAudioClient::GetService)", me);
    *out = &me->control->iface;
  } else if (IsEqualIID(iid, &IID_ISimpleAudioVolume)) {
    *out = &new_control(session, "ISimpleAudioVolume (IAudioClient::GetService)", me)->simple_iface;
  } else if (IsEqualIID(iid, &IID_IChannelAudioVolume)) {
    *out = &new_control(session, "IChannelAudioVolume (IAudioClient::GetService)", me)->channel_iface;
  } else {
    hr = E_NOINTERFACE; /* IAudioSessionControl2 included (render.c) */
  }
  unlock_service();
  return hr;
}
static IAudioClientVtbl client_vtbl = {ac_QueryInterface, ac_AddRef, ac_Release, ac_Initialize, ac_GetBufferSize,
                                             ac_GetStreamLatency, ac_GetCurrentPadding, ac_IsFormatSupported, ac_GetMixFormat,
                                             ac_GetDevicePeriod, ac_Start, ac_Stop, ac_Reset, ac_SetEventHandle, ac_GetService};

/* ---- the session manager and its enumerator ------------------------------------------------------ */

#define SM2_ME(self) Manager *me = IMPL(Manager, iface, self)
static HRESULT STDMETHODCALLTYPE mg_QueryInterface(IAudioSessionManager2 *self, REFIID iid, void **out) {
  static const IID *const iids[] = {&IID_IUnknown, &IID_IAudioSessionManager, &IID_IAudioSessionManager2, NULL};
  return query(self, iid, out, iids, &IMPL(Manager, iface, self)->obj);
}
static ULONG STDMETHODCALLTYPE mg_AddRef(IAudioSessionManager2 *self) { return obj_addref(&IMPL(Manager, iface, self)->obj); }
static ULONG STDMETHODCALLTYPE mg_Release(IAudioSessionManager2 *self) { return obj_release(&IMPL(Manager, iface, self)->obj); }

/* This process's session with that GUID, created as Windows does when it does not exist. */
static Session *own_session(Manager *me, LPCGUID guid, DWORD flags) {
  BOOL cross = (flags & AUDCLNT_STREAMFLAGS_CROSSPROCESS) != 0;
  const GUID *key = guid ? guid : &GUID_NULL;
  Session *session = find_session(me->endpoint, key, GetCurrentProcessId(), cross);
  if (!session) {
    session = new_session(me->endpoint, key, GetCurrentProcessId(), cross);
    Event *event = new_event(EV_SESSION_CREATED);
    event->endpoint = me->endpoint;
    event->session = session;
    post(event);
  }
  return session;
}
static HRESULT STDMETHODCALLTYPE mg_GetAudioSessionControl(IAudioSessionManager2 *self, LPCGUID guid, DWORD flags, IAudioSessionControl **out) {
  SM2_ME(self);
  ENTER(&me->obj, "IAudioSessionManager::GetAudioSessionControl", TRUE);
  if (!out) return E_POINTER;
  if (!lock_service("IAudioSessionManager::GetAudioSessionControl")) return E_DEADLOCK;
  *out = control_as_session_control(new_control(own_session(me, guid, flags), "IAudioSessionControl (GetAudioSessionControl)", NULL));
  unlock_service();
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE mg_GetSimpleAudioVolume(IAudioSessionManager2 *self, LPCGUID guid, DWORD flags, ISimpleAudioVolume **out) {
  SM2_ME(self);
  ENTER(&me->obj, "IAudioSessionManager::GetSimpleAudioVolume", TRUE);
  if (!out) return E_POINTER;
  if (!lock_service("IAudioSessionManager::GetSimpleAudioVolume")) return E_DEADLOCK;
  *out = &new_control(own_session(me, guid, flags), "ISimpleAudioVolume (GetSimpleAudioVolume)", NULL)->simple_iface;
  unlock_service();
  return S_OK;
}
static IAudioSessionEnumeratorVtbl session_list_vtbl;
static void session_list_destroy(Obj *obj) {
  SessionList *me = CONTAINING_RECORD(obj, SessionList, obj);
  for (int i = 0; i < me->count; i++) IAudioSessionControl_Release(control_as_session_control(me->items[i]));
  me->count = 0;
}
static HRESULT STDMETHODCALLTYPE mg_GetSessionEnumerator(IAudioSessionManager2 *self, IAudioSessionEnumerator **out) {
  SM2_ME(self);
  ENTER(&me->obj, "IAudioSessionManager2::GetSessionEnumerator", TRUE);
  if (!out) return E_POINTER;
  if (!lock_service("IAudioSessionManager2::GetSessionEnumerator")) return E_DEADLOCK;
  SessionList *list = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *list);
  list->iface.lpVtbl = &session_list_vtbl;
  obj_init(&list->obj, "IAudioSessionEnumerator", session_list_destroy);
  /* A snapshot: expired sessions included, sessions not yet published left out. */
  Session *ordered[256];
  int n = 0;
  for (Session *session = sessions; session && n < 256; session = session->next) {
    if (session->endpoint != me->endpoint || session->hidden || session->disconnected || session->epoch != service_epoch) continue;
    ordered[n++] = session;
  }
  for (int i = n - 1; i >= 0; i--) list->items[list->count++] = new_control(ordered[i], "IAudioSessionControl (IAudioSessionEnumerator)", NULL);
  unlock_service();
  *out = &list->iface;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE mg_RegisterSessionNotification(IAudioSessionManager2 *self, IAudioSessionNotification *sink) {
  SM2_ME(self);
  ENTER(&me->obj, "IAudioSessionManager2::RegisterSessionNotification", TRUE);
  return add_reg(REG_SESSION_CREATED, (IUnknown *)sink, &IID_IAudioSessionNotification, me, me->endpoint,
                 "IAudioSessionManager2::RegisterSessionNotification");
}
static HRESULT STDMETHODCALLTYPE mg_UnregisterSessionNotification(IAudioSessionManager2 *self, IAudioSessionNotification *sink) {
  SM2_ME(self);
  ENTER(&me->obj, "IAudioSessionManager2::UnregisterSessionNotification", FALSE);
  return remove_reg(REG_SESSION_CREATED, (IUnknown *)sink, me, "IAudioSessionManager2::UnregisterSessionNotification");
}
static HRESULT STDMETHODCALLTYPE mg_RegisterDuckNotification(IAudioSessionManager2 *self, LPCWSTR session_id, IAudioVolumeDuckNotification *sink) {
  SM2_ME(self);
  (void)session_id;
  ENTER(&me->obj, "IAudioSessionManager2::RegisterDuckNotification", TRUE);
  return add_reg(REG_DUCKING, (IUnknown *)sink, &IID_IAudioVolumeDuckNotification, me, me->endpoint,
                 "IAudioSessionManager2::RegisterDuckNotification");
}
static HRESULT STDMETHODCALLTYPE mg_UnregisterDuckNotification(IAudioSessionManager2 *self, IAudioVolumeDuckNotification *sink) {
  SM2_ME(self);
  ENTER(&me->obj, "IAudioSessionManager2::UnregisterDuckNotification", FALSE);
  return remove_reg(REG_DUCKING, (IUnknown *)sink, me, "IAudioSessionManager2::UnregisterDuckNotification");
}
static IAudioSessionManager2Vtbl manager_vtbl = {
  mg_QueryInterface, mg_AddRef, mg_Release, mg_GetAudioSessionControl, mg_GetSimpleAudioVolume, mg_GetSessionEnumerator,
  mg_RegisterSessionNotification, mg_UnregisterSessionNotification, mg_RegisterDuckNotification, mg_UnregisterDuckNotification};

static HRESULT STDMETHODCALLTYPE sl_QueryInterface(IAudioSessionEnumerator *self, REFIID iid, void **out) {
  static const IID *const iids[] = {&IID_IUnknown, &IID_IAudioSessionEnumerator, NULL};
  return query(self, iid, out, iids, &IMPL(SessionList, iface, self)->obj);
}
static ULONG STDMETHODCALLTYPE sl_AddRef(IAudioSessionEnumerator *self) { return obj_addref(&IMPL(SessionList, iface, self)->obj); }
static ULONG STDMETHODCALLTYPE sl_Release(IAudioSessionEnumerator *self) { return obj_release(&IMPL(SessionList, iface, self)->obj); }
static HRESULT STDMETHODCALLTYPE sl_GetCount(IAudioSessionEnumerator *self, int *count) {
  SessionList *me = IMPL(SessionList, iface, self);
  ENTER(&me->obj, "IAudioSessionEnumerator::GetCount", TRUE);
  if (!count) return E_POINTER;
  *count = me->count;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE sl_GetSession(IAudioSessionEnumerator *self, int index, IAudioSessionControl **out) {
  SessionList *me = IMPL(SessionList, iface, self);
  ENTER(&me->obj, "IAudioSessionEnumerator::GetSession", TRUE);
  if (!out) return E_POINTER;
  if (index < 0 || index >= me->count) return E_INVALIDARG;
  obj_addref(&me->items[index]->obj);
  *out = control_as_session_control(me->items[index]);
  return S_OK;
}
static IAudioSessionEnumeratorVtbl session_list_vtbl = {sl_QueryInterface, sl_AddRef, sl_Release, sl_GetCount, sl_GetSession};

static HRESULT activate(Device *device, REFIID iid, void **out) {
  Endpoint *endpoint = device->endpoint;
  if (endpoint->removed || endpoint->state != DEVICE_STATE_ACTIVE) return AUDCLNT_E_DEVICE_INVALIDATED;
  if (IsEqualIID(iid, &IID_IAudioEndpointVolume)) {
    EndpointVolume *volume = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *volume);
    volume->iface.lpVtbl = &endpoint_volume_vtbl;
    volume->endpoint = endpoint;
    obj_init(&volume->obj, "IAudioEndpointVolume", plain_destroy);
    *out = &volume->iface;
    return S_OK;
  }
  if (IsEqualIID(iid, &IID_IAudioMeterInformation)) {
    EndpointMeter *meter = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *meter);
    meter->iface.lpVtbl = &endpoint_meter_vtbl;
    meter->endpoint = endpoint;
    obj_init(&meter->obj, "IAudioMeterInformation (endpoint)", plain_destroy);
    *out = &meter->iface;
    return S_OK;
  }
  if (!service_running) return AUDCLNT_E_SERVICE_NOT_RUNNING;
  if (IsEqualIID(iid, &IID_IAudioSessionManager) || IsEqualIID(iid, &IID_IAudioSessionManager2)) {
    Manager *manager = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *manager);
    manager->iface.lpVtbl = &manager_vtbl;
    manager->endpoint = endpoint;
    obj_init(&manager->obj, "IAudioSessionManager2", plain_destroy);
    *out = &manager->iface;
    return S_OK;
  }
  if (IsEqualIID(iid, &IID_IAudioClient)) {
    Client *client = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *client);
    client->iface.lpVtbl = &client_vtbl;
    client->endpoint = endpoint;
    obj_init(&client->obj, "IAudioClient", client_destroy);
    *out = &client->iface;
    return S_OK;
  }
  return E_NOINTERFACE;
}

/* ---- streams and sessions, as clients in any process make them ---------------------------------- */

static void set_state(Session *session, AudioSessionState state) {
  if (session->state == state) return;
  session->state = state;
  post_session(EV_STATE, session, NULL);
}

static int open_stream(Endpoint *endpoint, const GUID *guid, DWORD pid, BOOL cross_process, BOOL system_sounds, BOOL hidden, const WCHAR *exe) {
  if (stream_count + 1 >= 2048) return 0;
  Session *session = system_sounds ? NULL : find_session(endpoint, guid, pid, cross_process);
  if (system_sounds) {
    for (Session *candidate = sessions; candidate; candidate = candidate->next)
      if (candidate->endpoint == endpoint && candidate->system_sounds && usable_session(candidate)) session = candidate;
  }
  if (!session) {
    session = new_session(endpoint, system_sounds ? &GUID_SYSTEM_SOUNDS : guid, pid, cross_process);
    session->hidden = hidden;
    if (exe) wcsncpy(session->exe, exe, 299);
    if (system_sounds) {
      session->system_sounds = TRUE;
      HeapFree(GetProcessHeap(), 0, session->display_name);
      HeapFree(GetProcessHeap(), 0, session->icon_path);
      session->display_name = heap_wcsdup(SYSTEM_SOUNDS_NAME);
      session->icon_path = heap_wcsdup(SYSTEM_SOUNDS_ICON);
    }
    Event *event = new_event(EV_SESSION_CREATED);
    event->endpoint = endpoint;
    event->session = session;
    post(event);
  }
  int handle = ++stream_count;
  streams[handle].session = session;
  return handle;
}

static void stream_set_started(Stream *stream, BOOL started) {
  if (stream->released || stream->started == started) return;
  stream->started = started;
  Session *session = stream->session;
  session->active_streams += started ? 1 : -1;
  if (session->state != AudioSessionStateExpired)
    set_state(session, session->active_streams > 0 ? AudioSessionStateActive : AudioSessionStateInactive);
}

static void stream_release(Stream *stream) {
  if (stream->released) return;
  stream_set_started(stream, FALSE);
  stream->released = TRUE;
}

static void disconnect_session(Session *session, AudioSessionDisconnectReason reason) {
  if (session->disconnected) return;
  Event *event = new_event(EV_DISCONNECTED);
  event->session = session;
  event->endpoint = session->endpoint;
  event->number = reason;
  post(event);
  session->disconnected = TRUE;
  for (int i = 1; i <= stream_count; i++)
    if (streams[i].session == session) streams[i].released = TRUE;
}

/* ---- the class factory ----------------------------------------------------------------------------- */

static HRESULT STDMETHODCALLTYPE cf_QueryInterface(IClassFactory *self, REFIID iid, void **out) {
  if (!out) return E_POINTER;
  if (IsEqualIID(iid, &IID_IUnknown) || IsEqualIID(iid, &IID_IClassFactory)) {
    *out = self;
    return S_OK;
  }
  *out = NULL;
  return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE cf_AddRef(IClassFactory *self) { (void)self; return 2; }
static ULONG STDMETHODCALLTYPE cf_Release(IClassFactory *self) { (void)self; return 1; }
static HRESULT STDMETHODCALLTYPE cf_CreateInstance(IClassFactory *self, IUnknown *outer, REFIID iid, void **out) {
  (void)self;
  if (!out) return E_POINTER;
  *out = NULL;
  if (outer) return CLASS_E_NOAGGREGATION;
  if (!lock_service("CoCreateInstance(MMDeviceEnumerator)")) return E_DEADLOCK;
  HRESULT hr;
  if (the_enumerator) {
    /* One enumerator per process (mmdevenum.c: CoCreateInstance twice gives the same pointer). */
    hr = enum_QueryInterface(&the_enumerator->iface, iid, out);
  } else {
    the_enumerator = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *the_enumerator);
    the_enumerator->iface.lpVtbl = &enumerator_vtbl;
    obj_init(&the_enumerator->obj, "IMMDeviceEnumerator", enumerator_destroy);
    hr = enum_QueryInterface(&the_enumerator->iface, iid, out);
    enum_Release(&the_enumerator->iface);
  }
  unlock_service();
  return hr;
}
static HRESULT STDMETHODCALLTYPE cf_LockServer(IClassFactory *self, BOOL lock) {
  (void)self;
  (void)lock;
  return S_OK;
}
static IClassFactoryVtbl factory_vtbl = {cf_QueryInterface, cf_AddRef, cf_Release, cf_CreateInstance, cf_LockServer};
static IClassFactory factory = {&factory_vtbl};

__declspec(dllexport) HRESULT WINAPI DllGetClassObject(REFCLSID clsid, REFIID iid, void **out) {
  if (!IsEqualCLSID(clsid, &CLSID_MMDeviceEnumerator)) return CLASS_E_CLASSNOTAVAILABLE;
  return cf_QueryInterface(&factory, iid, out);
}

static BOOL anything_outstanding(void);

__declspec(dllexport) HRESULT WINAPI DllCanUnloadNow(void) { return anything_outstanding() ? S_FALSE : S_OK; }

/* ---- the scripting exports (called by tests, from any thread) ------------------------------------ */

#define SCRIPT_LOCK(name)                \
  if (!lock_service(name)) return E_DEADLOCK
#define EXPORT __declspec(dllexport)

static Stream *stream_of(int handle) { return handle > 0 && handle <= stream_count ? &streams[handle] : NULL; }

static BOOL parse_guid(const char *text, GUID *guid) {
  if (!text || !*text) {
    *guid = GUID_NULL;
    return TRUE;
  }
  WCHAR *wide = wide_from_utf8(text);
  HRESULT hr = CLSIDFromString(wide, guid);
  HeapFree(GetProcessHeap(), 0, wide);
  return SUCCEEDED(hr);
}

/** An endpoint appears (state: DEVICE_STATE_*); OnDeviceAdded. */
EXPORT int dbl_endpoint_add(const char *id, const char *name, int flow, int state) {
  SCRIPT_LOCK("dbl_endpoint_add");
  Endpoint *endpoint = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *endpoint);
  MultiByteToWideChar(CP_UTF8, 0, id, -1, endpoint->id, 159);
  MultiByteToWideChar(CP_UTF8, 0, name, -1, endpoint->name, 159);
  endpoint->flow = flow;
  endpoint->state = state;
  endpoint->volume = 1.0f;
  endpoint->channels = 2;
  for (int i = 0; i < MAX_CHANNELS; i++) endpoint->channel_volume[i] = 1.0f;
  endpoint->next = endpoints;
  endpoints = endpoint;
  Event *event = new_event(EV_DEVICE_ADDED);
  event->endpoint = endpoint;
  post(event);
  unlock_service();
  return S_OK;
}

/** An endpoint goes: its sessions are disconnected (DeviceRemoval); OnDeviceRemoved. */
EXPORT int dbl_endpoint_remove(const char *id) {
  SCRIPT_LOCK("dbl_endpoint_remove");
  Endpoint *endpoint = find_endpoint_utf8(id);
  if (!endpoint) {
    unlock_service();
    return E_NOTFOUND;
  }
  for (Session *session = sessions; session; session = session->next)
    if (session->endpoint == endpoint) disconnect_session(session, DisconnectReasonDeviceRemoval);
  Event *event = new_event(EV_DEVICE_REMOVED);
  event->endpoint = endpoint;
  post(event);
  endpoint->removed = TRUE;
  unlock_service();
  return S_OK;
}

/** An endpoint changes state; leaving DEVICE_STATE_ACTIVE disconnects its sessions. */
EXPORT int dbl_endpoint_set_state(const char *id, int state) {
  SCRIPT_LOCK("dbl_endpoint_set_state");
  Endpoint *endpoint = find_endpoint_utf8(id);
  if (!endpoint) {
    unlock_service();
    return E_NOTFOUND;
  }
  if (state != DEVICE_STATE_ACTIVE)
    for (Session *session = sessions; session; session = session->next)
      if (session->endpoint == endpoint) disconnect_session(session, DisconnectReasonDeviceRemoval);
  endpoint->state = state;
  Event *event = new_event(EV_DEVICE_STATE);
  event->endpoint = endpoint;
  event->number = state;
  post(event);
  unlock_service();
  return S_OK;
}

/** A new friendly name; OnPropertyValueChanged(PKEY_Device_FriendlyName). */
EXPORT int dbl_endpoint_rename(const char *id, const char *name) {
  SCRIPT_LOCK("dbl_endpoint_rename");
  Endpoint *endpoint = find_endpoint_utf8(id);
  if (endpoint) {
    MultiByteToWideChar(CP_UTF8, 0, name, -1, endpoint->name, 159);
    Event *event = new_event(EV_PROPERTY);
    event->endpoint = endpoint;
    post(event);
  }
  unlock_service();
  return endpoint ? S_OK : E_NOTFOUND;
}

/** The default endpoint of a flow for a role (-1: every role); OnDefaultDeviceChanged for each. */
EXPORT int dbl_set_default(int flow, int role, const char *id) {
  SCRIPT_LOCK("dbl_set_default");
  for (int r = 0; r < 3; r++) {
    if (role >= 0 && r != role) continue;
    MultiByteToWideChar(CP_UTF8, 0, id ? id : "", -1, defaults[flow][r], 159);
    Event *event = new_event(EV_DEFAULT);
    event->flow = flow;
    event->role = r;
    wcscpy(event->text, defaults[flow][r]);
    post(event);
  }
  unlock_service();
  return S_OK;
}

/** The endpoint's volume changed by someone else (the context GUID given, or GUID_NULL). */
EXPORT int dbl_endpoint_set_volume(const char *id, double volume, int muted, const char *context) {
  SCRIPT_LOCK("dbl_endpoint_set_volume");
  Endpoint *endpoint = find_endpoint_utf8(id);
  GUID guid;
  if (endpoint && parse_guid(context, &guid)) {
    endpoint->volume = (float)volume;
    endpoint->mute = muted != 0;
    post_endpoint_volume(endpoint, &guid);
  }
  unlock_service();
  return endpoint ? S_OK : E_NOTFOUND;
}

EXPORT int dbl_endpoint_set_peak(const char *id, double peak) {
  SCRIPT_LOCK("dbl_endpoint_set_peak");
  Endpoint *endpoint = find_endpoint_utf8(id);
  if (endpoint) endpoint->peak = (float)peak;
  unlock_service();
  return endpoint ? S_OK : E_NOTFOUND;
}

enum StreamFlags { STREAM_CROSS_PROCESS = 1, STREAM_SYSTEM_SOUNDS = 2, STREAM_HIDDEN_FROM_ENUMERATION = 4 };

/**
 * A client of process `pid` opens a stream on an endpoint in the session of `session_guid`
 * ("" for GUID_NULL). `exe` (a native path, "" for a default) names the process in the
 * session identifier. Returns a stream handle (> 0) or a failure HRESULT.
 */
EXPORT int dbl_stream_open(const char *endpoint_id, const char *session_guid, int pid, int flags, const char *exe) {
  SCRIPT_LOCK("dbl_stream_open");
  Endpoint *endpoint = find_endpoint_utf8(endpoint_id);
  GUID guid;
  int handle = E_INVALIDARG;
  if (!endpoint) handle = E_NOTFOUND;
  else if (!service_running) handle = AUDCLNT_E_SERVICE_NOT_RUNNING;
  else if (parse_guid(session_guid, &guid)) {
    WCHAR *wide = exe && *exe ? wide_from_utf8(exe) : NULL;
    handle = open_stream(endpoint, &guid, (DWORD)pid, (flags & STREAM_CROSS_PROCESS) != 0, (flags & STREAM_SYSTEM_SOUNDS) != 0,
                         (flags & STREAM_HIDDEN_FROM_ENUMERATION) != 0, wide);
    HeapFree(GetProcessHeap(), 0, wide);
  }
  unlock_service();
  return handle;
}

EXPORT int dbl_stream_start(int handle) {
  SCRIPT_LOCK("dbl_stream_start");
  Stream *stream = stream_of(handle);
  if (stream) stream_set_started(stream, TRUE);
  unlock_service();
  return stream ? S_OK : E_INVALIDARG;
}

EXPORT int dbl_stream_stop(int handle) {
  SCRIPT_LOCK("dbl_stream_stop");
  Stream *stream = stream_of(handle);
  if (stream) stream_set_started(stream, FALSE);
  unlock_service();
  return stream ? S_OK : E_INVALIDARG;
}

EXPORT int dbl_stream_release(int handle) {
  SCRIPT_LOCK("dbl_stream_release");
  Stream *stream = stream_of(handle);
  if (stream) stream_release(stream);
  unlock_service();
  return stream ? S_OK : E_INVALIDARG;
}

/* What a client in the stream's process sets on its own session (context "" = GUID_NULL). */
static int client_set(int handle, const char *text, const char *context, enum EventKind kind) {
  SCRIPT_LOCK("dbl_client_set");
  Stream *stream = stream_of(handle);
  GUID guid;
  if (!stream || !parse_guid(context, &guid)) {
    unlock_service();
    return E_INVALIDARG;
  }
  Session *session = stream->session;
  if (kind == EV_DISPLAY_NAME || kind == EV_ICON_PATH) {
    WCHAR **field = kind == EV_DISPLAY_NAME ? &session->display_name : &session->icon_path;
    HeapFree(GetProcessHeap(), 0, *field);
    *field = wide_from_utf8(text);
  } else if (kind == EV_GROUPING && !parse_guid(text, &session->grouping)) {
    unlock_service();
    return E_INVALIDARG;
  }
  post_session(kind, session, &guid);
  unlock_service();
  return S_OK;
}

EXPORT int dbl_client_set_display_name(int handle, const char *name, const char *context) { return client_set(handle, name, context, EV_DISPLAY_NAME); }
EXPORT int dbl_client_set_icon_path(int handle, const char *path, const char *context) { return client_set(handle, path, context, EV_ICON_PATH); }
EXPORT int dbl_client_set_grouping(int handle, const char *grouping, const char *context) { return client_set(handle, grouping, context, EV_GROUPING); }

EXPORT int dbl_client_set_volume(int handle, double volume, int muted, const char *context) {
  SCRIPT_LOCK("dbl_client_set_volume");
  Stream *stream = stream_of(handle);
  GUID guid;
  if (!stream || !parse_guid(context, &guid)) {
    unlock_service();
    return E_INVALIDARG;
  }
  stream->session->volume = (float)volume;
  stream->session->mute = muted != 0;
  post_session(EV_SIMPLE_VOLUME, stream->session, &guid);
  unlock_service();
  return S_OK;
}

EXPORT int dbl_session_set_peak(int handle, double peak) {
  SCRIPT_LOCK("dbl_session_set_peak");
  Stream *stream = stream_of(handle);
  if (stream) stream->session->peak = (float)peak;
  unlock_service();
  return stream ? S_OK : E_INVALIDARG;
}

/** The session becomes visible to enumerators (it was opened with STREAM_HIDDEN_FROM_ENUMERATION). */
EXPORT int dbl_session_publish(int handle) {
  SCRIPT_LOCK("dbl_session_publish");
  Stream *stream = stream_of(handle);
  if (stream) stream->session->hidden = FALSE;
  unlock_service();
  return stream ? S_OK : E_INVALIDARG;
}

/** The session expires (its process ended): OnStateChanged(Expired); enumerators still list it. */
EXPORT int dbl_session_expire(int handle) {
  SCRIPT_LOCK("dbl_session_expire");
  Stream *stream = stream_of(handle);
  if (stream) {
    for (int i = 1; i <= stream_count; i++)
      if (streams[i].session == stream->session) stream_release(&streams[i]);
    set_state(stream->session, AudioSessionStateExpired);
  }
  unlock_service();
  return stream ? S_OK : E_INVALIDARG;
}

/** OnSessionDisconnected(reason); the same identity opened again is a new session. */
EXPORT int dbl_session_disconnect(int handle, int reason) {
  SCRIPT_LOCK("dbl_session_disconnect");
  Stream *stream = stream_of(handle);
  if (stream) disconnect_session(stream->session, (AudioSessionDisconnectReason)reason);
  unlock_service();
  return stream ? S_OK : E_INVALIDARG;
}

/** The system ducks (count: communication sessions) or unducks (count < 0) for a session. */
EXPORT int dbl_duck(const char *endpoint_id, const char *instance_identifier, int count) {
  SCRIPT_LOCK("dbl_duck");
  Endpoint *endpoint = find_endpoint_utf8(endpoint_id);
  if (endpoint) {
    Event *event = new_event(count >= 0 ? EV_DUCK : EV_UNDUCK);
    event->endpoint = endpoint;
    event->number = count;
    MultiByteToWideChar(CP_UTF8, 0, instance_identifier, -1, event->text, 299);
    post(event);
  }
  unlock_service();
  return endpoint ? S_OK : E_NOTFOUND;
}

/** The audio service stops: sessions disconnect (ServerShutdown), calls answer AUDCLNT_E_SERVICE_NOT_RUNNING. */
EXPORT int dbl_service_stop(void) {
  SCRIPT_LOCK("dbl_service_stop");
  for (Session *session = sessions; session; session = session->next)
    if (session->epoch == service_epoch) disconnect_session(session, DisconnectReasonServerShutdown);
  service_running = FALSE;
  unlock_service();
  return S_OK;
}

/** The audio service is back: objects obtained before the stop stay dead, new ones work. */
EXPORT int dbl_service_start(void) {
  SCRIPT_LOCK("dbl_service_start");
  if (!service_running) {
    service_running = TRUE;
    service_epoch++;
  }
  unlock_service();
  return S_OK;
}

/** The next Unregister* fails with `hr` and leaves its sink registered (Windows may still call it). */
EXPORT int dbl_fail_next_unregister(int hr) {
  InterlockedExchange(&fail_next_unregister, hr);
  return S_OK;
}

/** The service lets go of every sink registered on the stream's session (Release, as when a session is destroyed). */
EXPORT int dbl_session_drop_registrations(int handle) {
  SCRIPT_LOCK("dbl_session_drop_registrations");
  Stream *stream = stream_of(handle);
  Reg *dropped = NULL;
  if (stream) {
    for (Reg **link = &regs; *link;) {
      Reg *reg = *link;
      if (reg->kind == REG_SESSION_EVENTS && reg->target == stream->session) {
        *link = reg->next;
        reg->next = dropped;
        dropped = reg;
      } else {
        link = &reg->next;
      }
    }
  }
  unlock_service();
  while (dropped) {
    Reg *next = dropped->next;
    IUnknown_Release(dropped->sink);
    HeapFree(GetProcessHeap(), 0, dropped);
    dropped = next;
  }
  return stream ? S_OK : E_INVALIDARG;
}

/** Notifications queued or being delivered (a test waits for 0; never block on it on a sink's thread). */
EXPORT int dbl_pending(void) { return pending; }

static int copy_out(const char *text, char *buffer, int size) {
  int length = (int)strlen(text);
  if (buffer && size > 0) {
    int n = length < size - 1 ? length : size - 1;
    memcpy(buffer, text, n);
    buffer[n] = 0;
  }
  return length;
}

/** Contract violations so far, one a line ("" when none). */
EXPORT int dbl_violations(char *buffer, int size) {
  EnterCriticalSection(&diag_cs);
  int length = copy_out(violations, buffer, size);
  LeaveCriticalSection(&diag_cs);
  return length;
}

/** Every float a Set* method received: "<method> 0x<bits>" a line. */
EXPORT int dbl_float_log(char *buffer, int size) {
  EnterCriticalSection(&diag_cs);
  int length = copy_out(floats_log, buffer, size);
  floats_log[0] = 0;
  LeaveCriticalSection(&diag_cs);
  return length;
}

/** COM calls made so far, "<count> <method>" a line; the total is returned. Resets the counts. */
EXPORT int dbl_calls(char *buffer, int size) {
  char text[16384] = "";
  EnterCriticalSection(&diag_cs);
  for (int i = 0; i < 256 && calls[i].name; i++) {
    size_t used = strlen(text);
    snprintf(text + used, sizeof text - used, "%ld %s\n", calls[i].count, calls[i].name);
    calls[i].count = 0;
  }
  LONG total = InterlockedExchange(&call_total, 0);
  LeaveCriticalSection(&diag_cs);
  copy_out(text, buffer, size);
  return (int)total;
}

static int ledger_text(char *text, size_t size) {
  int outstanding = 0;
  text[0] = 0;
  EnterCriticalSection(&diag_cs);
  for (Obj *obj = all_objects; obj; obj = obj->next) {
    if (obj->dead || obj->ref <= 0) continue;
    outstanding++;
    size_t used = strlen(text);
    if (used + 128 < size) snprintf(text + used, size - used, "%s: %ld reference(s)\n", obj->name, obj->ref);
  }
  LeaveCriticalSection(&diag_cs);
  for (Reg *reg = regs; reg; reg = reg->next) {
    outstanding++;
    size_t used = strlen(text);
    if (used + 128 < size) snprintf(text + used, size - used, "%s sink still registered\n", REG_NAMES[reg->kind]);
  }
  return outstanding;
}

static BOOL anything_outstanding(void) {
  char text[4096];
  return ledger_text(text, sizeof text) > 0;
}

/** Outstanding references (objects handed out and not released, sinks still registered). */
EXPORT int dbl_ledger(char *buffer, int size) {
  char text[16384];
  int outstanding = ledger_text(text, sizeof text);
  copy_out(text, buffer, size);
  return outstanding;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved) {
  (void)instance;
  if (reason == DLL_PROCESS_ATTACH) {
    DisableThreadLibraryCalls(instance);
    InitializeCriticalSection(&diag_cs);
    InitializeCriticalSection(&service_cs);
    InitializeCriticalSection(&delivery_cs);
    InitializeCriticalSection(&queue_cs);
    queue_signal = CreateEventW(NULL, FALSE, FALSE, NULL);
    CloseHandle(CreateThread(NULL, 0, notification_thread, NULL, 0, NULL));
    CloseHandle(CreateThread(NULL, 0, watchdog_thread, NULL, 0, NULL));
  } else if (reason == DLL_PROCESS_DETACH && reserved) {
    /* Process exit: what is still outstanding goes to stderr, which the test requires empty. */
    char text[4096];
    if (ledger_text(text, sizeof text) > 0) {
      char line[4200];
      snprintf(line, sizeof line, "coreaudio double: references outstanding at unload:\n%s", text);
      DWORD written;
      WriteFile(GetStdHandle(STD_ERROR_HANDLE), line, (DWORD)strlen(line), &written, NULL);
    }
  }
  return TRUE;
}
