/* `spawn`: start an agent with CreateProcessW: no window, its own process group, the exact
   environment and cwd given, log files as stdout/stderr, out of the helper's job when allowed. */
#include "helper.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BREAKAWAY_NOTE "Agent Tray runs inside a job that forbids breakaway (started from a terminal or IDE?): this agent ends when Agent Tray ends"

typedef struct {
  HANDLE std[3]; /* stdin (NUL), stdout, stderr: inheritable */
  int in_job;
} Launch;

/* Read all of stdin into a NUL-terminated buffer. */
static char *read_stdin(size_t *len) {
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
  size_t cap = 4096;
  char *buf = malloc(cap);
  *len = 0;
  if (!buf) ExitProcess(EXIT_FAILED);
  for (;;) {
    DWORD got = 0;
    if (*len + 4096 > cap && !(buf = realloc(buf, cap *= 2))) ExitProcess(EXIT_FAILED);
    if (!ReadFile(in, buf + *len, 4096, &got, NULL) || got == 0) break;
    *len += got;
  }
  buf[*len] = 0;
  return buf;
}


/* Order two "NAME=value" entries by name, case-insensitively, as Windows wants the block sorted. */
static int compare_entries(const void *a, const void *b) {
  const wchar_t *x = *(const wchar_t *const *)a, *y = *(const wchar_t *const *)b;
  const wchar_t *xe = wcschr(x + 1, L'='), *ye = wcschr(y + 1, L'=');
  int r = CompareStringOrdinal(x, (int)(xe - x), y, (int)(ye - y), TRUE);
  return r == CSTR_LESS_THAN ? -1 : r == CSTR_GREATER_THAN ? 1 : 0;
}

/* Build the sorted, double-NUL-terminated UTF-16 environment block. */
static wchar_t *environment_block(SpawnRequest *req) {
  size_t total = 2;
  qsort(req->env, req->env_count, sizeof(wchar_t *), compare_entries);
  for (size_t i = 0; i < req->env_count; i++) total += wcslen(req->env[i]) + 1;
  wchar_t *block = calloc(total, sizeof(wchar_t)), *p = block;
  if (!block) ExitProcess(EXIT_FAILED);
  for (size_t i = 0; i < req->env_count; i++) {
    size_t n = wcslen(req->env[i]) + 1;
    memcpy(p, req->env[i], n * sizeof(wchar_t));
    p += n;
  }
  return block;
}

/* Open a log file for append (created if missing), shared for read/write/delete, inheritable. */
static HANDLE open_log(const wchar_t *path) {
  SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
  if (!path) path = L"NUL";
  return CreateFileW(path, FILE_APPEND_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                     &inherit, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
}

/* Open the agent's stdin (the NUL device), stdout and stderr; returns the failing step or NULL. */
static const char *open_std_handles(const SpawnRequest *req, Launch *launch) {
  SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
  launch->std[0] = CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit, OPEN_EXISTING, 0, NULL);
  if (launch->std[0] == INVALID_HANDLE_VALUE) return "CreateFileW(NUL)";
  launch->std[1] = open_log(req->stdout_path);
  if (launch->std[1] == INVALID_HANDLE_VALUE) return "CreateFileW(stdout)";
  launch->std[2] = open_log(req->stderr_path);
  if (launch->std[2] == INVALID_HANDLE_VALUE) return "CreateFileW(stderr)";
  return NULL;
}

/* The helper's own std handles must not reach the agent (a pipe held by the agent would keep the caller waiting). */
static void keep_own_handles(void) {
  DWORD ids[3] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
  for (int i = 0; i < 3; i++) {
    HANDLE h = GetStdHandle(ids[i]);
    if (h && h != INVALID_HANDLE_VALUE) SetHandleInformation(h, HANDLE_FLAG_INHERIT, 0);
  }
}

/* Is the helper in a job? Whether that job allows breakaway is learnt by asking for it: CreateProcessW
   fails with ERROR_ACCESS_DENIED where it does not. (QueryInformationJobObject is not asked: Wine 8
   answers all-zero limits, and the attempt is the one answer that is exact everywhere.) */
static void check_job(Launch *launch) {
  BOOL in_job = FALSE;
  IsProcessInJob(GetCurrentProcess(), NULL, &in_job);
  launch->in_job = in_job != FALSE;
}

/* CreateProcessW, passing only the three std handles (PROC_THREAD_ATTRIBUTE_HANDLE_LIST) where the system accepts it. */
static BOOL create(SpawnRequest *req, Launch *launch, DWORD flags, wchar_t *env, PROCESS_INFORMATION *pi) {
  STARTUPINFOEXW si;
  SIZE_T size = 0;
  memset(&si, 0, sizeof si);
  si.StartupInfo.cb = sizeof si;
  si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  si.StartupInfo.hStdInput = launch->std[0];
  si.StartupInfo.hStdOutput = launch->std[1];
  si.StartupInfo.hStdError = launch->std[2];
  InitializeProcThreadAttributeList(NULL, 1, 0, &size);
  si.lpAttributeList = malloc(size);
  if (si.lpAttributeList && InitializeProcThreadAttributeList(si.lpAttributeList, 1, 0, &size) &&
      UpdateProcThreadAttribute(si.lpAttributeList, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, launch->std, sizeof launch->std, NULL, NULL)) {
    BOOL ok = CreateProcessW(req->application, req->command_line, NULL, NULL, TRUE, flags | EXTENDED_STARTUPINFO_PRESENT, env, req->cwd, &si.StartupInfo, pi);
    DWORD error = GetLastError();
    DeleteProcThreadAttributeList(si.lpAttributeList);
    free(si.lpAttributeList);
    if (ok || (error != ERROR_INVALID_PARAMETER && error != ERROR_NOT_SUPPORTED)) {
      SetLastError(error);
      return ok;
    }
    fprintf(stderr, "spawn: the handle list was refused (error %lu); plain handle inheritance\n", error);
  } else free(si.lpAttributeList);
  si.StartupInfo.cb = sizeof si.StartupInfo;
  return CreateProcessW(req->application, req->command_line, NULL, NULL, TRUE, flags, env, req->cwd, &si.StartupInfo, pi);
}

/* Prints the success line. */
static void reply(const PROCESS_INFORMATION *pi, const Launch *launch, DWORD flags, const char *note) {
  unsigned long long created = 0;
  Json j = {0};
  process_creation(pi->hProcess, &created);
  json_open(&j, '{');
  json_key(&j, "ok");
  json_bool(&j, 1);
  json_key(&j, "pid");
  json_int(&j, pi->dwProcessId);
  json_process_times(&j, created);
  json_key(&j, "flags");
  json_open(&j, '[');
  json_str(&j, "CREATE_NO_WINDOW");
  json_str(&j, "CREATE_NEW_PROCESS_GROUP");
  json_str(&j, "CREATE_UNICODE_ENVIRONMENT");
  if (flags & CREATE_BREAKAWAY_FROM_JOB) json_str(&j, "CREATE_BREAKAWAY_FROM_JOB");
  json_close(&j, ']');
  json_key(&j, "inJob");
  json_bool(&j, launch->in_job);
  json_key(&j, "breakaway");
  json_bool(&j, (flags & CREATE_BREAKAWAY_FROM_JOB) != 0);
  json_key(&j, "note");
  json_str(&j, note);
  json_close(&j, '}');
  json_emit(&j);
}

/* The `spawn` verb: request on stdin, one JSON line out. */
int verb_spawn(void) {
  SpawnRequest req;
  Launch launch = {{INVALID_HANDLE_VALUE, INVALID_HANDLE_VALUE, INVALID_HANDLE_VALUE}, 0};
  PROCESS_INFORMATION pi;
  size_t len;
  char *text = read_stdin(&len);
  if (!parse_spawn_request(text, len, &req)) return text_fail_reply("request", ERROR_INVALID_DATA, req.error);
  const char *failed_step = open_std_handles(&req, &launch);
  if (failed_step) return fail_reply(failed_step, GetLastError());
  keep_own_handles();
  check_job(&launch);
  wchar_t *env = req.has_env ? environment_block(&req) : NULL;
  DWORD flags = CREATE_NO_WINDOW | CREATE_NEW_PROCESS_GROUP | CREATE_UNICODE_ENVIRONMENT | CREATE_BREAKAWAY_FROM_JOB;
  const char *note = NULL;
  BOOL ok = create(&req, &launch, flags, env, &pi);
  if (!ok && GetLastError() == ERROR_ACCESS_DENIED && launch.in_job) { /* the job forbids breakaway */
    flags &= ~(DWORD)CREATE_BREAKAWAY_FROM_JOB;
    note = BREAKAWAY_NOTE;
    ok = create(&req, &launch, flags, env, &pi);
  }
  if (!ok) return fail_reply("CreateProcessW", GetLastError());
  reply(&pi, &launch, flags, note);
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  return EXIT_OK;
}
