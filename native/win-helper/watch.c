/* `watch <intervalMs>`: one resident helper that samples CPU time, working set, handles and threads
   of the pids named by `set <pid> ...` lines on stdin, one JSON line per interval, until stdin closes. */
#include "helper.h"
#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WATCHED 4096

typedef struct {
  DWORD pid;
  HANDLE handle; /* held while watched: the pid cannot be reused meanwhile */
} Watched;

/* What the stdin reader hands to the sampler. */
static struct {
  CRITICAL_SECTION lock;
  HANDLE closed;      /* signalled when stdin ends */
  DWORD pids[MAX_WATCHED];
  size_t count;
  int changed;
} pending;

/* Parse one stdin line: `set <pid> ...` replaces the pids to sample. */
static void handle_line(char *line) {
  char *save = NULL, *word = strtok_s(line, " \t\r", &save);
  if (!word) return;
  if (strcmp(word, "set") != 0) {
    fprintf(stderr, "watch: unknown command \"%s\" (expected: set <pid> ...)\n", word);
    return;
  }
  DWORD pids[MAX_WATCHED];
  size_t count = 0;
  while ((word = strtok_s(NULL, " \t\r", &save)) != NULL && count < MAX_WATCHED) {
    char *end = NULL;
    unsigned long value = strtoul(word, &end, 10);
    if (*end || value == 0) fprintf(stderr, "watch: \"%s\" is not a pid\n", word);
    else pids[count++] = (DWORD)value;
  }
  EnterCriticalSection(&pending.lock);
  memcpy(pending.pids, pids, count * sizeof(DWORD));
  pending.count = count;
  pending.changed = 1;
  LeaveCriticalSection(&pending.lock);
}

/* Thread: read stdin line by line until it closes, then signal `closed`. */
static DWORD WINAPI read_commands(LPVOID unused) {
  (void)unused;
  read_stdin_lines(handle_line);
  SetEvent(pending.closed);
  return 0;
}

/* Take the pids `set` last named: keep the handles of those still named, open the new ones. */
static size_t apply_pending(Watched *watched, size_t count) {
  Watched next[MAX_WATCHED];
  size_t n = 0;
  EnterCriticalSection(&pending.lock);
  if (!pending.changed) {
    LeaveCriticalSection(&pending.lock);
    return count;
  }
  for (size_t i = 0; i < pending.count; i++) {
    HANDLE h = NULL;
    for (size_t k = 0; k < count; k++)
      if (watched[k].pid == pending.pids[i] && watched[k].handle) { h = watched[k].handle; watched[k].handle = NULL; }
    if (!h) h = open_process(pending.pids[i], PROCESS_VM_READ);
    if (!h) h = open_process(pending.pids[i], 0);
    if (h) next[n++] = (Watched){pending.pids[i], h};
  }
  pending.changed = 0;
  LeaveCriticalSection(&pending.lock);
  for (size_t k = 0; k < count; k++)
    if (watched[k].handle) CloseHandle(watched[k].handle);
  memcpy(watched, next, n * sizeof(Watched));
  return n;
}

/* Wall-clock time as epoch milliseconds. */
static long long now_ms(void) {
  FILETIME ft;
  GetSystemTimeAsFileTime(&ft);
  return filetime_to_epoch_ms(((unsigned long long)ft.dwHighDateTime << 32) | ft.dwLowDateTime);
}

/* One sample object for a live process; 0 when it has ended (left out). */
static int sample(Json *j, const Watched *w, const ProcTable *table) {
  FILETIME created, exited, kernel, user;
  PROCESS_MEMORY_COUNTERS memory = {.cb = sizeof memory};
  DWORD handles = 0;
  if (!process_alive(w->handle, NULL) || !GetProcessTimes(w->handle, &created, &exited, &kernel, &user)) return 0;
  unsigned long long cpu = ((unsigned long long)kernel.dwHighDateTime << 32 | kernel.dwLowDateTime) +
                           ((unsigned long long)user.dwHighDateTime << 32 | user.dwLowDateTime);
  const ProcEntry *entry = proc_table_find(table, w->pid);
  json_open(j, '{');
  json_key(j, "pid");
  json_int(j, w->pid);
  json_key(j, "cpuMs");
  json_int(j, (long long)(cpu / 10000));
  json_key(j, "workingSetBytes");
  if (GetProcessMemoryInfo(w->handle, &memory, sizeof memory)) json_int(j, (long long)memory.WorkingSetSize);
  else json_null(j);
  json_key(j, "handles");
  if (GetProcessHandleCount(w->handle, &handles)) json_int(j, handles);
  else json_null(j);
  json_key(j, "threads");
  if (entry) json_int(j, entry->threads);
  else json_null(j);
  json_close(j, '}');
  return 1;
}

/* Print one tick: {"at":...,"samples":[...]}. */
static void tick(const Watched *watched, size_t count) {
  ProcTable table = {0};
  Json j = {0};
  if (count) proc_table_read(&table); /* thread counts */
  json_open(&j, '{');
  json_key(&j, "at");
  json_int(&j, now_ms());
  json_key(&j, "samples");
  json_open(&j, '[');
  for (size_t i = 0; i < count; i++) sample(&j, &watched[i], &table);
  json_close(&j, ']');
  json_close(&j, '}');
  json_emit(&j);
  proc_table_free(&table);
}

/* With AGENT_TRAY_HELPER_TIMING set, say on stderr how long a tick took (for the benchmarks). */
static void report_tick_time(LARGE_INTEGER started, size_t count) {
  LARGE_INTEGER now, frequency;
  QueryPerformanceCounter(&now);
  QueryPerformanceFrequency(&frequency);
  fprintf(stderr, "watch: tick of %u pids took %.3f ms\n", (unsigned)count, (double)(now.QuadPart - started.QuadPart) * 1000.0 / (double)frequency.QuadPart);
}

/* The `watch` verb: a sample line every interval, on a fixed schedule, until stdin closes. */
int verb_watch(DWORD interval_ms) {
  static Watched watched[MAX_WATCHED];
  size_t count = 0;
  int timing = GetEnvironmentVariableW(L"AGENT_TRAY_HELPER_TIMING", NULL, 0) > 0;
  InitializeCriticalSection(&pending.lock);
  pending.closed = CreateEventW(NULL, TRUE, FALSE, NULL);
  if (!pending.closed || !CreateThread(NULL, 0, read_commands, NULL, 0, NULL)) return fail_reply("CreateThread", GetLastError());
  ULONGLONG next = GetTickCount64() + interval_ms;
  for (;;) {
    ULONGLONG now = GetTickCount64();
    DWORD wait = next > now ? (DWORD)(next - now) : 0;
    if (WaitForSingleObject(pending.closed, wait) == WAIT_OBJECT_0) break;
    next = (now > next + interval_ms ? GetTickCount64() : next) + interval_ms; /* after a long stall, restart the schedule */
    LARGE_INTEGER started;
    QueryPerformanceCounter(&started);
    count = apply_pending(watched, count);
    tick(watched, count);
    if (timing) report_tick_time(started, count);
  }
  return EXIT_OK;
}
