/* `wait`: one resident helper that reports how processes end. Each stdin line `add <pid> <createdMs>`
   gets exactly one JSON line: {"pid":..,"createdMs":..,"exitCode":..} when that process exits, or
   {"pid":..,"createdMs":..,"gone":true,...} at once when it cannot be waited for (no such process, a
   recycled pid, not ours to open). Exits when stdin closes.
   How: each process is held open (SYNCHRONIZE) from its `add` on, so its pid cannot be reused and its
   exit code stays readable; groups of 63 handles are waited for by one thread each with
   WaitForMultipleObjects, the 64th object being the group's wake-up event for new `add`s. */
#include "helper.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Processes per waiting thread: WaitForMultipleObjects takes 64 objects, one is the wake-up event. */
#define GROUP_SIZE (MAXIMUM_WAIT_OBJECTS - 1)

typedef struct {
  DWORD pid;
  long long created_ms; /* as the `add` gave it, echoed in the answer */
  HANDLE handle;
} Waited;

typedef struct Group {
  HANDLE wake;                  /* auto-reset: set when `incoming` got a process */
  Waited incoming[GROUP_SIZE];  /* added, not yet taken by the group's thread */
  size_t incoming_count;
  size_t held;                  /* waited for by the thread + incoming: at most GROUP_SIZE */
  struct Group *next;
} Group;

static CRITICAL_SECTION groups_lock; /* the groups' incoming lists and counts */
static CRITICAL_SECTION out_lock;    /* one line on stdout at a time */
static Group *groups;

/* Print one answer line (threads take turns). */
static void emit_locked(Json *j) {
  EnterCriticalSection(&out_lock);
  json_emit(j);
  LeaveCriticalSection(&out_lock);
}

/* Start an answer: {"pid":..,"createdMs":.. */
static void answer_open(Json *j, DWORD pid, long long created_ms) {
  json_open(j, '{');
  json_key(j, "pid");
  json_int(j, pid);
  json_key(j, "createdMs");
  json_int(j, created_ms);
}

/* {"pid","createdMs","gone":true} (+ the Windows error when the process could not be opened). */
static void report_gone(DWORD pid, long long created_ms, DWORD error) {
  Json j = {0};
  answer_open(&j, pid, created_ms);
  json_key(&j, "gone");
  json_bool(&j, 1);
  if (error) json_error_fields(&j, error);
  json_close(&j, '}');
  emit_locked(&j);
}

/* {"pid","createdMs","exitCode"} for a process whose handle is signalled; gone when the code cannot be read. */
static void report_exit(const Waited *w) {
  DWORD code = 0;
  if (!GetExitCodeProcess(w->handle, &code)) {
    report_gone(w->pid, w->created_ms, GetLastError());
    return;
  }
  Json j = {0};
  answer_open(&j, w->pid, w->created_ms);
  json_key(&j, "exitCode");
  json_int(&j, (long long)code);
  json_close(&j, '}');
  emit_locked(&j);
}

/* When WaitForMultipleObjects itself fails: look at each handle alone; the ended and the unusable are answered and dropped. */
static size_t sweep(Waited *waited, size_t count) {
  for (size_t i = 0; i < count;) {
    DWORD r = WaitForSingleObject(waited[i].handle, 0);
    if (r == WAIT_TIMEOUT) {
      i++;
      continue;
    }
    if (r == WAIT_OBJECT_0) report_exit(&waited[i]);
    else report_gone(waited[i].pid, waited[i].created_ms, GetLastError());
    CloseHandle(waited[i].handle);
    waited[i] = waited[--count];
  }
  return count;
}

/* Thread: waits for the processes of one group, answering each as it ends. */
static DWORD WINAPI wait_group(LPVOID arg) {
  Group *g = arg;
  Waited waited[GROUP_SIZE];
  HANDLE objects[MAXIMUM_WAIT_OBJECTS];
  size_t count = 0;
  for (;;) {
    EnterCriticalSection(&groups_lock);
    memcpy(waited + count, g->incoming, g->incoming_count * sizeof(Waited));
    count += g->incoming_count;
    g->incoming_count = 0;
    LeaveCriticalSection(&groups_lock);
    objects[0] = g->wake;
    for (size_t i = 0; i < count; i++) objects[i + 1] = waited[i].handle;
    DWORD r = WaitForMultipleObjects((DWORD)count + 1, objects, FALSE, INFINITE);
    size_t before = count;
    if (r == WAIT_FAILED) {
      fprintf(stderr, "wait: WaitForMultipleObjects failed (error %lu): checking each process\n", GetLastError());
      count = sweep(waited, count);
      if (count == before) Sleep(100);
    } else if (r > WAIT_OBJECT_0 && r <= WAIT_OBJECT_0 + count) {
      size_t i = r - WAIT_OBJECT_0 - 1;
      report_exit(&waited[i]);
      CloseHandle(waited[i].handle);
      waited[i] = waited[--count];
    }
    if (count < before) {
      EnterCriticalSection(&groups_lock);
      g->held -= before - count;
      LeaveCriticalSection(&groups_lock);
    }
  }
  return 0;
}

/* A group with room (a new one, with its thread, when all are full); NULL when no thread can be made. Under groups_lock. */
static Group *group_with_room(void) {
  for (Group *g = groups; g; g = g->next)
    if (g->held < GROUP_SIZE) return g;
  Group *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->wake = CreateEventW(NULL, FALSE, FALSE, NULL);
  HANDLE thread = g->wake ? CreateThread(NULL, 64 * 1024, wait_group, g, 0, NULL) : NULL;
  if (!thread) {
    if (g->wake) CloseHandle(g->wake);
    free(g);
    return NULL;
  }
  CloseHandle(thread);
  g->next = groups;
  groups = g;
  return g;
}

/* `add <pid> <createdMs>`: open the process, check that it is the one created then (0: unchecked), hand it to a group. */
static void add_process(DWORD pid, long long created_ms) {
  unsigned long long created = 0;
  HANDLE h = open_process(pid, 0);
  if (!h) {
    report_gone(pid, created_ms, GetLastError()); /* ended (and nobody held it), or not ours */
    return;
  }
  if (created_ms != 0 && (!process_creation(h, &created) || llabs(filetime_to_epoch_ms(created) - created_ms) > 1)) {
    CloseHandle(h); /* another process has this pid now */
    report_gone(pid, created_ms, 0);
    return;
  }
  EnterCriticalSection(&groups_lock);
  Group *g = group_with_room();
  if (g) {
    g->incoming[g->incoming_count++] = (Waited){pid, created_ms, h};
    g->held++;
    SetEvent(g->wake);
  }
  LeaveCriticalSection(&groups_lock);
  if (!g) {
    DWORD error = GetLastError();
    CloseHandle(h);
    report_gone(pid, created_ms, error ? error : ERROR_NOT_ENOUGH_MEMORY);
  }
}

/* One stdin line: `add <pid> <createdMs>`; anything else is said on stderr. */
static void handle_line(char *line) {
  char *save = NULL, *word = strtok_s(line, " \t\r", &save);
  if (!word) return;
  char *pid_text = strtok_s(NULL, " \t\r", &save), *created_text = strtok_s(NULL, " \t\r", &save);
  char *end_pid = NULL, *end_created = NULL;
  unsigned long long pid = pid_text ? strtoull(pid_text, &end_pid, 10) : 0;
  long long created_ms = created_text ? strtoll(created_text, &end_created, 10) : -1;
  if (strcmp(word, "add") != 0 || !pid_text || *end_pid || pid == 0 || pid > 0xFFFFFFFFull || !created_text || *end_created || created_ms < 0 ||
      strtok_s(NULL, " \t\r", &save)) {
    fprintf(stderr, "wait: not understood: \"%s\" (expected: add <pid> <createdMs>)\n", word);
    return;
  }
  add_process((DWORD)pid, created_ms);
}

/* The `wait` verb: answers `add` lines until stdin closes, then exits 0 (the processes still running are left alone). */
int verb_wait(void) {
  InitializeCriticalSection(&groups_lock);
  InitializeCriticalSection(&out_lock);
  read_stdin_lines(handle_line);
  EnterCriticalSection(&out_lock); /* no thread is half-way through a line when the process ends */
  ExitProcess(EXIT_OK);
}
