/* Part of the Core Audio double, included by double.c (one translation unit): the model (endpoints, sessions, streams, registrations) and the notification thread. */

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
  LONG controls; /* controls handed out and not released: what keeps an expired session alive */
  BOOL ended;    /* expired with no stream and no control left: the service let go of it */
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
  BOOL follows_default; /* opened on the default device: the per-app default endpoint moves it (policy-config.c) */
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
  DWORD epoch;  /* the service run it was made with: a restarted service knows nothing of older ones */
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

/* An expired session is still the identity's session (a new stream revives it) until it ends. */
static BOOL usable_session(Session *session) {
  return !session->disconnected && !session->ended && session->epoch == service_epoch && service_running;
}

/* An expired session that nothing holds (no stream, no control) ends: enumerators stop listing it.
 * Chosen: Windows documents no such rule, but a held control keeps a session alive (render.c). */
static void end_if_unheld(Session *session) {
  if (session->ended || session->state != AudioSessionStateExpired || session->controls > 0) return;
  for (int i = 1; i <= stream_count; i++)
    if (streams[i].session == session && !streams[i].released) return;
  session->ended = TRUE;
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
    return reg->kind == REG_SESSION_CREATED && reg->target == event->endpoint && reg->epoch == service_epoch;
  case EV_DUCK: case EV_UNDUCK:
    return reg->kind == REG_DUCKING && reg->target == event->endpoint && reg->epoch == service_epoch;
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

/* Scripted (dbl_slow_delivery): the next delivery pauses this long after its first sink call. */
static volatile LONG slow_delivery_ms;
static volatile LONG delivering;

static void deliver(Event *event) {
  Reg *targets[256];
  int count = 0;
  if (!lock_delivery("the notification thread")) return;
  InterlockedExchange(&delivering, 1);
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
  for (int i = 0; i < count; i++) {
    call_sink(targets[i], event, created ? control_as_session_control(created) : NULL);
    LONG pause = i == 0 ? InterlockedExchange(&slow_delivery_ms, 0) : 0;
    if (pause > 0) Sleep((DWORD)pause);
  }
  if (created) IAudioSessionControl_Release(control_as_session_control(created));
  InterlockedExchange(&delivering, 0);
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
static HRESULT add_reg(enum RegKind kind, IUnknown *sink, void *owner, void *target, const char *method) {
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
  reg->epoch = service_epoch;
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
