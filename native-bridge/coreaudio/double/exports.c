/* Part of the Core Audio double, included by double.c (one translation unit): the class factory, DllMain and the scripting exports. */

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

enum StreamFlags { STREAM_CROSS_PROCESS = 1, STREAM_SYSTEM_SOUNDS = 2, STREAM_HIDDEN_FROM_ENUMERATION = 4, STREAM_FOLLOWS_DEFAULT = 8 };

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
    if (handle > 0) streams[handle].follows_default = (flags & STREAM_FOLLOWS_DEFAULT) != 0;
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

/** The session expires (its process ended): OnStateChanged(Expired); enumerators list it while a control holds it. */
EXPORT int dbl_session_expire(int handle) {
  SCRIPT_LOCK("dbl_session_expire");
  Stream *stream = stream_of(handle);
  if (stream) {
    for (int i = 1; i <= stream_count; i++)
      if (streams[i].session == stream->session) stream_release(&streams[i]);
    set_state(stream->session, AudioSessionStateExpired);
    end_if_unheld(stream->session);
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
  /* As Unregister*: a delivery in flight holds pointers to these registrations; wait for it. */
  if (!lock_delivery("dbl_session_drop_registrations")) return E_DEADLOCK;
  if (!lock_service("dbl_session_drop_registrations")) {
    unlock_delivery();
    return E_DEADLOCK;
  }
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
  unlock_delivery();
  return stream ? S_OK : E_INVALIDARG;
}

/** The next notification delivered to several sinks pauses `ms` ms after the first (a delivery kept in flight). */
EXPORT int dbl_slow_delivery(int ms) {
  InterlockedExchange(&slow_delivery_ms, ms);
  return S_OK;
}

/** 1 while the notification thread delivers (between its first and last sink call of one notification). */
EXPORT int dbl_delivering(void) { return InterlockedCompareExchange(&delivering, 0, 0); }

/** A long native call on the caller's thread that causes a notification: sets the stream's session
 * display name (context GUID_NULL), then keeps the caller busy `ms` ms, holding no lock of the double. */
EXPORT int dbl_slow_call(int handle, const char *name, int ms) {
  int hr = client_set(handle, name, "", EV_DISPLAY_NAME);
  Sleep(ms > 0 ? (DWORD)ms : 0);
  return hr;
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
    sink_waits_init();
    queue_signal = CreateEventW(NULL, FALSE, FALSE, NULL);
    CloseHandle(CreateThread(NULL, 0, notification_thread, NULL, 0, NULL));
    CloseHandle(CreateThread(NULL, 0, watchdog_thread, NULL, 0, NULL));
  } else if (reason == DLL_PROCESS_DETACH && reserved) {
    sink_waits_flush();
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
