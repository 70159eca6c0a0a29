/* Part of the Core Audio double, included by double.c (one translation unit): scripted moments. A
 * session of another process appears at exactly the moment a client registers for new sessions or
 * takes an enumerator, the two orders in which a session can fall between them. */

static struct {
  BOOL armed;
  enum HookMoment moment;
  Endpoint *endpoint;
  GUID guid;
  DWORD pid;
  int stream;
} hook;

/* Called with the service lock held, by RegisterSessionNotification once the sink is registered (the
 * session is notified and in the next snapshot) and by GetSessionEnumerator once its snapshot is
 * taken (notified, absent from that snapshot). */
static void run_hook(enum HookMoment moment, Endpoint *endpoint) {
  if (!hook.armed || hook.moment != moment || hook.endpoint != endpoint) return;
  hook.armed = FALSE;
  hook.stream = open_stream(endpoint, &hook.guid, hook.pid, FALSE, FALSE, FALSE, NULL);
}

/**
 * The next RegisterSessionNotification (moment 0) or GetSessionEnumerator (moment 1) on the
 * endpoint opens a stream of process `pid` in the session of `session_guid`; dbl_hook_stream
 * gives its handle once it ran.
 */
EXPORT int dbl_hook_session(const char *endpoint_id, int moment, const char *session_guid, int pid) {
  SCRIPT_LOCK("dbl_hook_session");
  Endpoint *endpoint = find_endpoint_utf8(endpoint_id);
  GUID guid;
  HRESULT hr = E_INVALIDARG;
  if (!endpoint) hr = E_NOTFOUND;
  else if ((moment == HOOK_AFTER_REGISTRATION || moment == HOOK_AFTER_SNAPSHOT) && parse_guid(session_guid, &guid)) {
    hook.armed = TRUE;
    hook.moment = (enum HookMoment)moment;
    hook.endpoint = endpoint;
    hook.guid = guid;
    hook.pid = (DWORD)pid;
    hook.stream = 0;
    hr = S_OK;
  }
  unlock_service();
  return hr;
}

/** The stream the hook opened (> 0), 0 while it has not run. */
EXPORT int dbl_hook_stream(void) { return hook.stream; }
