/* Part of the Core Audio double, included by double.c (one translation unit): IMMDeviceEnumerator, IMMDeviceCollection, IMMDevice, IMMEndpoint, IPropertyStore, IAudioEndpointVolume, the endpoint meter. */

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
  return add_reg(REG_ENDPOINTS, (IUnknown *)client, self, NULL,
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
  return add_reg(REG_ENDPOINT_VOLUME, (IUnknown *)sink, me, me->endpoint,
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
