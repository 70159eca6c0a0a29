/* Part of the Core Audio double, included by double.c (one translation unit): the activation
 * factory of the Windows Runtime class Windows.Media.Internal.AudioPolicyConfig, the per-app
 * default endpoint. Wine's combase RoGetActivationFactory finds the class under
 * HKLM\Software\Microsoft\WindowsRuntime\ActivatableClassId (DllPath, registered by
 * ../wine/setup.sh), calls DllGetActivationFactory, then QueryInterface for the IID asked.
 *
 * No SDK declares the interface: its slots are EarTrumpet's declaration order (IInspectable's
 * six, 19 methods the mixer never calls, then Set/GetPersistedDefaultAudioEndpoint and
 * ClearAllPersistedApplicationDefaultEndpoints). Which IID the factory answers is scripted
 * (dbl_policy_config_iid): Windows changed it at build 21390, and a Windows without the class
 * is scripted with "" (REGDB_E_CLASSNOTREG from DllGetActivationFactory).
 *
 * Chosen where nothing says (a pass proves nothing about Windows here): endpoints are kept
 * per pid, flow and role; a device id that is not the interface path of a present endpoint of
 * the flow is E_INVALIDARG; setting moves the pid's streams opened to follow the default
 * (dbl_stream_open's STREAM_FOLLOWS_DEFAULT) to the console role's endpoint, each leaving its
 * session for the pid's session of the same GUID there (opened, named as the old one, and
 * announced, when there is none or it ended; revived when it expired and is still held); a
 * session left without streams expires, and ends once nothing holds it (model.c). */
#include <activation.h>
#include <winstring.h>

#define POLICY_PLACEHOLDERS 19
static const WCHAR INTERFACE_PREFIX[] = L"\\\\?\\SWD#MMDEVAPI#";
/* KSCATEGORY_RENDER-style device interface classes of MMDevice endpoints, per EDataFlow. */
static const WCHAR *const INTERFACE_CATEGORY[2] = {L"#{e6327cad-dcec-4949-ae8a-991e976a79d2}", L"#{2eef81be-33fa-4800-9670-1cd474972c3f}"};

typedef struct PolicyVtbl {
  HRESULT(STDMETHODCALLTYPE *QueryInterface)(void *, REFIID, void **);
  ULONG(STDMETHODCALLTYPE *AddRef)(void *);
  ULONG(STDMETHODCALLTYPE *Release)(void *);
  HRESULT(STDMETHODCALLTYPE *GetIids)(void *, ULONG *, IID **);
  HRESULT(STDMETHODCALLTYPE *GetRuntimeClassName)(void *, HSTRING *);
  HRESULT(STDMETHODCALLTYPE *GetTrustLevel)(void *, TrustLevel *);
  /* The first is IActivationFactory::ActivateInstance as well: E_NOTIMPL, a class of statics. */
  HRESULT(STDMETHODCALLTYPE *placeholder[POLICY_PLACEHOLDERS])(void *, void *);
  HRESULT(STDMETHODCALLTYPE *SetPersistedDefaultAudioEndpoint)(void *, UINT32, EDataFlow, ERole, HSTRING);
  HRESULT(STDMETHODCALLTYPE *GetPersistedDefaultAudioEndpoint)(void *, UINT32, EDataFlow, ERole, HSTRING *);
  HRESULT(STDMETHODCALLTYPE *ClearAllPersistedApplicationDefaultEndpoints)(void *);
} PolicyVtbl;

typedef struct Policy { PolicyVtbl *lpVtbl; Obj obj; } Policy;

typedef struct Persisted {
  DWORD pid;
  EDataFlow flow;
  ERole role;
  WCHAR path[200];
  struct Persisted *next;
} Persisted;

static Persisted *persisted;
/* The IID the factory answers; GUID_NULL: the class is not there. */
static GUID policy_iid;

#define PC_ME(self) Policy *me = IMPL(Policy, lpVtbl, (PolicyVtbl **)(self))

static HRESULT STDMETHODCALLTYPE pc_QueryInterface(void *self, REFIID iid, void **out) {
  /* GUID_NULL (the class scripted away) is no interface: QueryInterface(IID_NULL) is E_NOINTERFACE. */
  const IID *const iids[] = {&IID_IUnknown, &IID_IInspectable, &IID_IActivationFactory,
                             IsEqualGUID(&policy_iid, &GUID_NULL) ? NULL : &policy_iid, NULL};
  return query(self, iid, out, iids, &IMPL(Policy, lpVtbl, (PolicyVtbl **)self)->obj);
}
static ULONG STDMETHODCALLTYPE pc_AddRef(void *self) { return obj_addref(&IMPL(Policy, lpVtbl, (PolicyVtbl **)self)->obj); }
static ULONG STDMETHODCALLTYPE pc_Release(void *self) { return obj_release(&IMPL(Policy, lpVtbl, (PolicyVtbl **)self)->obj); }
static HRESULT STDMETHODCALLTYPE pc_GetIids(void *self, ULONG *count, IID **iids) {
  PC_ME(self);
  ENTER(&me->obj, "IAudioPolicyConfigFactory::GetIids", FALSE);
  if (!count || !iids) return E_POINTER;
  *iids = CoTaskMemAlloc(sizeof(IID));
  if (!*iids) return E_OUTOFMEMORY;
  **iids = policy_iid;
  *count = 1;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE pc_GetRuntimeClassName(void *self, HSTRING *name) {
  PC_ME(self);
  ENTER(&me->obj, "IAudioPolicyConfigFactory::GetRuntimeClassName", FALSE);
  if (!name) return E_POINTER;
  static const WCHAR class_name[] = L"Windows.Media.Internal.AudioPolicyConfig";
  return WindowsCreateString(class_name, (UINT32)wcslen(class_name), name);
}
static HRESULT STDMETHODCALLTYPE pc_GetTrustLevel(void *self, TrustLevel *level) {
  PC_ME(self);
  ENTER(&me->obj, "IAudioPolicyConfigFactory::GetTrustLevel", FALSE);
  if (!level) return E_POINTER;
  *level = BaseTrust;
  return S_OK;
}
static HRESULT STDMETHODCALLTYPE pc_placeholder(void *self, void *unused) {
  PC_ME(self);
  (void)unused;
  ENTER(&me->obj, "IAudioPolicyConfigFactory::(a method the mixer never calls)", FALSE);
  violation("a slot of IAudioPolicyConfigFactory before SetPersistedDefaultAudioEndpoint was called: the slots are off");
  return E_NOTIMPL;
}

/* The endpoint an interface path names, when it is a present endpoint of the flow. */
static Endpoint *endpoint_of_path(const WCHAR *path, EDataFlow flow) {
  size_t prefix = wcslen(INTERFACE_PREFIX), length = wcslen(path), suffix = wcslen(INTERFACE_CATEGORY[flow]);
  if (length <= prefix + suffix || wcsncmp(path, INTERFACE_PREFIX, prefix) || _wcsicmp(path + length - suffix, INTERFACE_CATEGORY[flow]))
    return NULL;
  WCHAR id[160];
  size_t id_length = length - prefix - suffix;
  if (id_length >= 160) return NULL;
  wcsncpy(id, path + prefix, id_length);
  id[id_length] = 0;
  Endpoint *endpoint = find_endpoint(id);
  return endpoint && endpoint->flow == flow && endpoint->state == DEVICE_STATE_ACTIVE ? endpoint : NULL;
}

static Persisted **persisted_link(DWORD pid, EDataFlow flow, ERole role) {
  Persisted **link = &persisted;
  while (*link && !((*link)->pid == pid && (*link)->flow == flow && (*link)->role == role)) link = &(*link)->next;
  return link;
}

/* Where a stream of the pid that follows the default plays now: its console endpoint, else the default's. */
static Endpoint *routed_endpoint(DWORD pid, EDataFlow flow) {
  Persisted *own = *persisted_link(pid, flow, eConsole);
  Endpoint *endpoint = own ? endpoint_of_path(own->path, flow) : NULL;
  return endpoint ? endpoint : find_endpoint(defaults[flow][eConsole]);
}

/* The stream's app handle now plays on `target`: it leaves its session for the pid's session there. */
static void move_stream(Stream *stream, Endpoint *target) {
  Session *old = stream->session;
  BOOL started = stream->started;
  stream_set_started(stream, FALSE);
  Session *session = find_session(target, &old->guid, old->pid, old->cross_process);
  if (!session) {
    session = new_session(target, &old->guid, old->pid, old->cross_process);
    wcsncpy(session->exe, old->exe, 299);
    /* What the app named its session travels with the stream (as in the simulated Windows). */
    HeapFree(GetProcessHeap(), 0, session->display_name);
    HeapFree(GetProcessHeap(), 0, session->icon_path);
    session->display_name = heap_wcsdup(old->display_name);
    session->icon_path = heap_wcsdup(old->icon_path);
    session->grouping = old->grouping;
    Event *event = new_event(EV_SESSION_CREATED);
    event->endpoint = target;
    event->session = session;
    post(event);
  } else if (session->state == AudioSessionStateExpired) {
    /* The app's session there from an earlier move, still held: the stream revives it, as open_stream does. */
    set_state(session, AudioSessionStateInactive);
  }
  stream->session = session;
  stream_set_started(stream, started);
  for (int i = 1; i <= stream_count; i++)
    if (streams[i].session == old && !streams[i].released) return;
  set_state(old, AudioSessionStateExpired);
  end_if_unheld(old);
}

static void reroute(DWORD pid, EDataFlow flow) {
  Endpoint *target = routed_endpoint(pid, flow);
  if (!target) return;
  for (int i = 1; i <= stream_count; i++) {
    Stream *stream = &streams[i];
    if (stream->released || !stream->follows_default || stream->session->pid != pid || stream->session->endpoint->flow != flow) continue;
    if (stream->session->endpoint != target) move_stream(stream, target);
  }
}

static HRESULT STDMETHODCALLTYPE pc_SetPersistedDefaultAudioEndpoint(void *self, UINT32 pid, EDataFlow flow, ERole role, HSTRING device) {
  PC_ME(self);
  ENTER(&me->obj, "IAudioPolicyConfigFactory::SetPersistedDefaultAudioEndpoint", TRUE);
  if ((UINT)flow > eCapture || (UINT)role > eCommunications) return E_INVALIDARG;
  const WCHAR *path = WindowsGetStringRawBuffer(device, NULL);
  if (!lock_service("IAudioPolicyConfigFactory::SetPersistedDefaultAudioEndpoint")) return E_DEADLOCK;
  HRESULT hr = S_OK;
  Persisted **link = persisted_link(pid, flow, role);
  if (!path || !*path) {
    Persisted *gone = *link;
    if (gone) {
      *link = gone->next;
      HeapFree(GetProcessHeap(), 0, gone);
    }
  } else if (!endpoint_of_path(path, flow) || wcslen(path) >= 200) {
    hr = E_INVALIDARG;
  } else {
    if (!*link) *link = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof **link);
    (*link)->pid = pid;
    (*link)->flow = flow;
    (*link)->role = role;
    wcscpy((*link)->path, path);
  }
  if (SUCCEEDED(hr)) reroute(pid, flow);
  unlock_service();
  return hr;
}

static HRESULT STDMETHODCALLTYPE pc_GetPersistedDefaultAudioEndpoint(void *self, UINT32 pid, EDataFlow flow, ERole role, HSTRING *device) {
  PC_ME(self);
  ENTER(&me->obj, "IAudioPolicyConfigFactory::GetPersistedDefaultAudioEndpoint", TRUE);
  if (!device) return E_POINTER;
  *device = NULL;
  if ((UINT)flow > eCapture || (UINT)role > eCommunications) return E_INVALIDARG;
  if (!lock_service("IAudioPolicyConfigFactory::GetPersistedDefaultAudioEndpoint")) return E_DEADLOCK;
  Persisted *own = *persisted_link(pid, flow, role);
  HRESULT hr = own ? WindowsCreateString(own->path, (UINT32)wcslen(own->path), device) : S_OK;
  unlock_service();
  return hr;
}

static HRESULT STDMETHODCALLTYPE pc_ClearAllPersistedApplicationDefaultEndpoints(void *self) {
  PC_ME(self);
  ENTER(&me->obj, "IAudioPolicyConfigFactory::ClearAllPersistedApplicationDefaultEndpoints", TRUE);
  if (!lock_service("IAudioPolicyConfigFactory::ClearAllPersistedApplicationDefaultEndpoints")) return E_DEADLOCK;
  while (persisted) {
    Persisted *gone = persisted;
    persisted = gone->next;
    reroute(gone->pid, gone->flow);
    HeapFree(GetProcessHeap(), 0, gone);
  }
  unlock_service();
  return S_OK;
}

static PolicyVtbl policy_vtbl;

static void policy_destroy(Obj *obj) { (void)obj; }

static void policy_vtbl_init(void) {
  policy_vtbl.QueryInterface = pc_QueryInterface;
  policy_vtbl.AddRef = pc_AddRef;
  policy_vtbl.Release = pc_Release;
  policy_vtbl.GetIids = pc_GetIids;
  policy_vtbl.GetRuntimeClassName = pc_GetRuntimeClassName;
  policy_vtbl.GetTrustLevel = pc_GetTrustLevel;
  for (int i = 0; i < POLICY_PLACEHOLDERS; i++) policy_vtbl.placeholder[i] = pc_placeholder;
  policy_vtbl.SetPersistedDefaultAudioEndpoint = pc_SetPersistedDefaultAudioEndpoint;
  policy_vtbl.GetPersistedDefaultAudioEndpoint = pc_GetPersistedDefaultAudioEndpoint;
  policy_vtbl.ClearAllPersistedApplicationDefaultEndpoints = pc_ClearAllPersistedApplicationDefaultEndpoints;
}

/* combase's RoGetActivationFactory calls this, then QueryInterface for the IID it was asked for. */
__declspec(dllexport) HRESULT WINAPI DllGetActivationFactory(HSTRING class_id, IActivationFactory **out) {
  static const WCHAR class_name[] = L"Windows.Media.Internal.AudioPolicyConfig";
  if (!out) return E_POINTER;
  *out = NULL;
  const WCHAR *name = WindowsGetStringRawBuffer(class_id, NULL);
  if (!name || wcscmp(name, class_name) || IsEqualGUID(&policy_iid, &GUID_NULL)) return REGDB_E_CLASSNOTREG;
  if (!policy_vtbl.QueryInterface) policy_vtbl_init();
  Policy *policy = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *policy);
  policy->lpVtbl = &policy_vtbl;
  obj_init(&policy->obj, "IAudioPolicyConfigFactory", policy_destroy);
  *out = (IActivationFactory *)policy;
  return S_OK;
}

/** The IID the factory answers ("" or NULL: the class is absent, as on a Windows without it). */
EXPORT int dbl_policy_config_iid(const char *iid) {
  SCRIPT_LOCK("dbl_policy_config_iid");
  GUID guid = GUID_NULL;
  BOOL ok = !iid || !*iid || parse_guid(iid, &guid);
  if (ok) policy_iid = guid;
  unlock_service();
  return ok ? S_OK : E_INVALIDARG;
}

/** The endpoint the factory keeps for (pid, flow, role) as its interface path, "" when none; the length, or < 0 when it does not fit. */
EXPORT int dbl_policy_config_endpoint(int pid, int flow, int role, char *buffer, int size) {
  SCRIPT_LOCK("dbl_policy_config_endpoint");
  Persisted *own = (UINT)flow <= eCapture && (UINT)role <= eCommunications ? *persisted_link((DWORD)pid, flow, role) : NULL;
  char text[400] = "";
  if (own) WideCharToMultiByte(CP_UTF8, 0, own->path, -1, text, sizeof text, NULL, NULL);
  unlock_service();
  return copy_out(text, buffer, size);
}
