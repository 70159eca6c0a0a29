/* Part of the Core Audio double, included by double.c (one translation unit): how long each
 * sink call kept the double's thread waiting, as a distribution per method (the watchdog
 * only says when one passed 200 ms). With the environment variable SNDMIX_DOUBLE_SINK_WAITS
 * set to a file, appended to that file at process exit, so a whole test run (the servers the
 * tests start included) can be summed afterwards: ../wine/sink-waits.ts. */

#define SINK_WAIT_METHODS 32
/* Upper bounds in ms of the buckets; the last bucket is everything longer. */
static const double SINK_WAIT_BOUNDS[] = {1, 2, 5, 10, 20, 50, 100, 200};
#define SINK_WAIT_BUCKETS (sizeof SINK_WAIT_BOUNDS / sizeof SINK_WAIT_BOUNDS[0] + 1)

static struct {
  const char *method;
  LONG count;
  LONG buckets[SINK_WAIT_BUCKETS];
  double longest_ms;
} sink_waits[SINK_WAIT_METHODS];
static CRITICAL_SECTION sink_waits_cs;
static LARGE_INTEGER sink_wait_frequency;

static void sink_waits_init(void) {
  InitializeCriticalSection(&sink_waits_cs);
  QueryPerformanceFrequency(&sink_wait_frequency);
}

static LONGLONG sink_wait_now(void) {
  LARGE_INTEGER now;
  QueryPerformanceCounter(&now);
  return now.QuadPart;
}

static void sink_wait_record(const char *method, LONGLONG started) {
  double ms = (double)(sink_wait_now() - started) * 1000.0 / (double)sink_wait_frequency.QuadPart;
  EnterCriticalSection(&sink_waits_cs);
  for (int i = 0; i < SINK_WAIT_METHODS; i++) {
    if (sink_waits[i].method && strcmp(sink_waits[i].method, method)) continue;
    sink_waits[i].method = method;
    sink_waits[i].count++;
    size_t bucket = 0;
    while (bucket < SINK_WAIT_BUCKETS - 1 && ms > SINK_WAIT_BOUNDS[bucket]) bucket++;
    sink_waits[i].buckets[bucket]++;
    if (ms > sink_waits[i].longest_ms) sink_waits[i].longest_ms = ms;
    break;
  }
  LeaveCriticalSection(&sink_waits_cs);
}

/* One line per method: "<method>\t<count>\t<longest ms>\t<bucket counts, comma-separated>". */
static int sink_waits_text(char *text, int size) {
  int used = 0;
  text[0] = 0;
  EnterCriticalSection(&sink_waits_cs);
  for (int i = 0; i < SINK_WAIT_METHODS && sink_waits[i].method; i++) {
    used += snprintf(text + used, size - used, "%s\t%ld\t%.3f\t", sink_waits[i].method, sink_waits[i].count, sink_waits[i].longest_ms);
    for (size_t b = 0; b < SINK_WAIT_BUCKETS && used < size; b++)
      used += snprintf(text + used, size - used, b ? ",%ld" : "%ld", sink_waits[i].buckets[b]);
    if (used < size) used += snprintf(text + used, size - used, "\n");
    if (used >= size) break;
  }
  LeaveCriticalSection(&sink_waits_cs);
  return used < size ? used : size - 1;
}

/* At process exit: appended to $SNDMIX_DOUBLE_SINK_WAITS where it is set. */
static void sink_waits_flush(void) {
  char path[MAX_PATH];
  if (!GetEnvironmentVariableA("SNDMIX_DOUBLE_SINK_WAITS", path, sizeof path)) return;
  char text[8192];
  int length = sink_waits_text(text, sizeof text);
  if (length <= 0) return;
  HANDLE file = CreateFileA(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (file == INVALID_HANDLE_VALUE) return;
  DWORD written;
  WriteFile(file, text, (DWORD)length, &written, NULL);
  CloseHandle(file);
}
