/* Part of the Core Audio double, included by double.c (one translation unit): violations, float log, call counts, the reference ledger, locks, the watchdog, strings. */

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

/* Who called into the double: the first frames outside it, as module+offset (for a violation's text). */
static void caller_text(char *out, size_t size) {
  void *frames[12] = {0};
  USHORT count = RtlCaptureStackBackTrace(1, 12, frames, NULL);
  HMODULE self = NULL;
  GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, (LPCSTR)caller_text, &self);
  size_t used = 0;
  int shown = 0;
  out[0] = 0;
  for (USHORT i = 0; i < count && shown < 3 && used + 80 < size; i++) {
    HMODULE module = NULL;
    char path[MAX_PATH] = "?";
    if (GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, frames[i], &module)) {
      if (module == self) continue;
      GetModuleFileNameA(module, path, sizeof path);
    }
    const char *name = strrchr(path, '\\') ? strrchr(path, '\\') + 1 : path;
    used += snprintf(out + used, size - used, "%s%s+0x%llx", shown ? " < " : "", name,
                     (unsigned long long)((char *)frames[i] - (char *)module));
    shown++;
  }
}

/* A released object keeps its memory (the double never frees one) and says who still calls it. */
static void dead_object_call(Obj *obj, const char *method) {
  char caller[400];
  caller_text(caller, sizeof caller);
  violation("%s on a released %s (called from %s)", method, obj->name, caller);
}

static ULONG obj_addref(Obj *obj) {
  if (obj->dead) {
    dead_object_call(obj, "AddRef");
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
    dead_object_call(obj, method);
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
    dead_object_call(obj, "Release");
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

static struct { volatile LONG busy; DWORD thread; DWORD started; LONGLONG counter; const char *what; BOOL reported; } sink_calls[32];
/* The distribution of these waits (sink-waits.c). */
static LONGLONG sink_wait_now(void);
static void sink_wait_record(const char *method, LONGLONG started);
static void sink_waits_init(void);
static void sink_waits_flush(void);

static int sink_call_begin(const char *what) {
  for (int i = 0; i < 32; i++) {
    if (InterlockedCompareExchange(&sink_calls[i].busy, 1, 0) == 0) {
      sink_calls[i].thread = GetCurrentThreadId();
      sink_calls[i].started = GetTickCount();
      sink_calls[i].counter = sink_wait_now();
      sink_calls[i].what = what;
      sink_calls[i].reported = FALSE;
      return i;
    }
  }
  return -1;
}

static void sink_call_end(int slot) {
  if (slot < 0) return;
  sink_wait_record(sink_calls[slot].what, sink_calls[slot].counter);
  InterlockedExchange(&sink_calls[slot].busy, 0);
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
