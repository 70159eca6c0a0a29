/* Part of the Core Audio double, included by double.c (one translation unit): the session control and its volume and meter interfaces, IAudioClient, the session manager and enumerator, streams. */

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
  return add_reg(REG_SESSION_EVENTS, (IUnknown *)sink, me, me->session,
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
enum HookMoment { HOOK_AFTER_REGISTRATION = 0, HOOK_AFTER_SNAPSHOT = 1 };
static void run_hook(enum HookMoment moment, Endpoint *endpoint);

static void control_destroy(Obj *obj) {
  Control *me = CONTAINING_RECORD(obj, Control, obj);
  me->session->controls--;
  end_if_unheld(me->session);
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
  session->controls++;
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
    if (session->endpoint != me->endpoint || session->hidden || session->disconnected || session->ended || session->epoch != service_epoch) continue;
    ordered[n++] = session;
  }
  for (int i = n - 1; i >= 0; i--) list->items[list->count++] = new_control(ordered[i], "IAudioSessionControl (IAudioSessionEnumerator)", NULL);
  run_hook(HOOK_AFTER_SNAPSHOT, me->endpoint);
  unlock_service();
  *out = &list->iface;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE mg_RegisterSessionNotification(IAudioSessionManager2 *self, IAudioSessionNotification *sink) {
  SM2_ME(self);
  ENTER(&me->obj, "IAudioSessionManager2::RegisterSessionNotification", TRUE);
  HRESULT hr = add_reg(REG_SESSION_CREATED, (IUnknown *)sink, me, me->endpoint,
                       "IAudioSessionManager2::RegisterSessionNotification");
  if (SUCCEEDED(hr) && lock_service("IAudioSessionManager2::RegisterSessionNotification")) {
    run_hook(HOOK_AFTER_REGISTRATION, me->endpoint);
    unlock_service();
  }
  return hr;
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
  return add_reg(REG_DUCKING, (IUnknown *)sink, me, me->endpoint,
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
  } else if (session->state == AudioSessionStateExpired) {
    /* A new stream of an expired session's identity revives it (inactive again), as Windows does. */
    set_state(session, AudioSessionStateInactive);
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
  end_if_unheld(stream->session);
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
