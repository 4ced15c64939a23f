/* Facts about processes: the process table, creation time, liveness, image path, command line and
   environment (the last two from ProcessCommandLineInformation or the target's PEB). */
#include "helper.h"
#include <tlhelp32.h>
#include <winternl.h>
#include <stdlib.h>
#include <string.h>

/* FILETIME of 1970-01-01 (100 ns units since 1601). */
#define EPOCH_AS_FILETIME 116444736000000000ULL
/* NtQueryInformationProcess class for the command line (Windows 8.1+). */
#define PROCESS_COMMAND_LINE_INFORMATION 60
/* x64 layout: PEB.ProcessParameters, and RTL_USER_PROCESS_PARAMETERS' CommandLine, Environment, EnvironmentSize. */
#define PEB_PROCESS_PARAMETERS 0x20
#define PARAMS_COMMAND_LINE 0x70
#define PARAMS_ENVIRONMENT 0x80
#define PARAMS_ENVIRONMENT_SIZE 0x3F0
/* The most environment the helper reads from another process. */
#define MAX_ENVIRONMENT_BYTES (4u << 20)

/* Snapshot every process (pid, parent pid, thread count, image name) with CreateToolhelp32Snapshot. */
int proc_table_read(ProcTable *table) {
  PROCESSENTRY32W entry = {.dwSize = sizeof entry};
  size_t cap = 256;
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  table->count = 0;
  table->items = malloc(cap * sizeof(ProcEntry));
  if (snap == INVALID_HANDLE_VALUE || !table->items) return 0;
  for (BOOL more = Process32FirstW(snap, &entry); more; more = Process32NextW(snap, &entry)) {
    if (table->count == cap) {
      cap *= 2;
      table->items = realloc(table->items, cap * sizeof(ProcEntry));
      if (!table->items) ExitProcess(EXIT_FAILED);
    }
    ProcEntry *e = &table->items[table->count++];
    e->pid = entry.th32ProcessID;
    e->ppid = entry.th32ParentProcessID;
    e->threads = entry.cntThreads;
    wcsncpy(e->name, entry.szExeFile, MAX_PATH - 1);
    e->name[MAX_PATH - 1] = 0;
  }
  CloseHandle(snap);
  return 1;
}

/* Free a snapshot. */
void proc_table_free(ProcTable *table) {
  free(table->items);
  table->items = NULL;
  table->count = 0;
}

/* The snapshot entry of a pid, or NULL. */
const ProcEntry *proc_table_find(const ProcTable *table, DWORD pid) {
  for (size_t i = 0; i < table->count; i++)
    if (table->items[i].pid == pid) return &table->items[i];
  return NULL;
}

/* Open a process for limited queries and waiting, plus extra rights; NULL with GetLastError() set when it cannot. */
HANDLE open_process(DWORD pid, DWORD extra_access) {
  return OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE | extra_access, FALSE, pid);
}

/* The process creation time as a raw FILETIME; 0 when it cannot be read. */
int process_creation(HANDLE process, unsigned long long *filetime) {
  FILETIME created, exited, kernel, user;
  if (!GetProcessTimes(process, &created, &exited, &kernel, &user)) return 0;
  *filetime = ((unsigned long long)created.dwHighDateTime << 32) | created.dwLowDateTime;
  return 1;
}

/* FILETIME (100 ns since 1601) to epoch milliseconds. */
long long filetime_to_epoch_ms(unsigned long long filetime) {
  return ((long long)filetime - (long long)EPOCH_AS_FILETIME) / 10000;
}

/* Adds "createdMs" and "creationTime" (the exact FILETIME as a decimal string). */
void json_process_times(Json *j, unsigned long long filetime) {
  json_key(j, "createdMs");
  json_int(j, filetime_to_epoch_ms(filetime));
  json_key(j, "creationTime");
  json_u64_string(j, filetime);
}

/* Adds "createdMs" and "creationTime" of `process`, or nulls when there is no handle or no time. */
void json_creation_of(Json *j, HANDLE process) {
  unsigned long long created = 0;
  if (process && process_creation(process, &created)) {
    json_process_times(j, created);
    return;
  }
  json_key(j, "createdMs");
  json_null(j);
  json_key(j, "creationTime");
  json_null(j);
}

/* Adds the facts every process line starts with: pid, ppid, creation time (or nulls) and image name. */
void json_process_head(Json *j, const ProcEntry *entry, HANDLE process) {
  json_key(j, "pid");
  json_int(j, entry->pid);
  json_key(j, "ppid");
  json_int(j, entry->ppid);
  json_creation_of(j, process);
  json_key(j, "exe");
  json_wstr(j, entry->name);
}

/* True while the process runs; its exit code once it has ended (a handle can outlive the process). */
int process_alive(HANDLE process, DWORD *exit_code) {
  DWORD code = 0;
  if (!GetExitCodeProcess(process, &code)) return 0;
  if (exit_code) *exit_code = code;
  if (code != STILL_ACTIVE) return 0;
  /* a process may exit with 259 itself: an unsignalled handle is the real test (where the handle may wait) */
  return WaitForSingleObject(process, 0) != WAIT_OBJECT_0;
}

/* The full path of the process image (QueryFullProcessImageNameW), or NULL. */
wchar_t *process_image_path(HANDLE process) {
  DWORD size = 32768;
  wchar_t *path = malloc(size * sizeof(wchar_t));
  if (path && QueryFullProcessImageNameW(process, 0, path, &size)) return path;
  free(path);
  return NULL;
}

/* Read exactly `size` bytes at `address` of another process into a new buffer, or NULL. */
static void *read_remote(HANDLE process, ULONG_PTR address, size_t size) {
  SIZE_T got = 0;
  void *buf = malloc(size ? size : 1);
  if (buf && ReadProcessMemory(process, (LPCVOID)address, buf, size, &got) && got == size) return buf;
  free(buf);
  return NULL;
}

/* Address of the target's RTL_USER_PROCESS_PARAMETERS (through its PEB), or 0. */
static ULONG_PTR remote_parameters(HANDLE process) {
  PROCESS_BASIC_INFORMATION basic;
  ULONG got = 0;
  if (NtQueryInformationProcess(process, ProcessBasicInformation, &basic, sizeof basic, &got) < 0 || !basic.PebBaseAddress) return 0;
  ULONG_PTR *params = read_remote(process, (ULONG_PTR)basic.PebBaseAddress + PEB_PROCESS_PARAMETERS, sizeof(ULONG_PTR));
  ULONG_PTR address = params ? *params : 0;
  free(params);
  return address;
}

/* The parent pid the system recorded for the process (ProcessBasicInformation), or -1. */
long long process_parent(HANDLE process) {
  PROCESS_BASIC_INFORMATION basic;
  ULONG got = 0;
  if (NtQueryInformationProcess(process, ProcessBasicInformation, &basic, sizeof basic, &got) < 0) return -1;
  return (long long)basic.InheritedFromUniqueProcessId;
}

/* Copy a UNICODE_STRING's text into a new NUL-terminated string. */
static wchar_t *unicode_copy(const UNICODE_STRING *s) {
  size_t chars = s->Length / sizeof(wchar_t);
  wchar_t *text = malloc((chars + 1) * sizeof(wchar_t));
  if (!text) return NULL;
  memcpy(text, s->Buffer, chars * sizeof(wchar_t));
  text[chars] = 0;
  return text;
}

/* The command line from ProcessCommandLineInformation (one call, limited rights), or NULL. */
static wchar_t *command_line_by_query(HANDLE process) {
  ULONG size = 0;
  NtQueryInformationProcess(process, (PROCESSINFOCLASS)PROCESS_COMMAND_LINE_INFORMATION, NULL, 0, &size);
  if (size < sizeof(UNICODE_STRING) || size > (1u << 20)) return NULL;
  UNICODE_STRING *s = malloc(size);
  wchar_t *text = NULL;
  if (s && NtQueryInformationProcess(process, (PROCESSINFOCLASS)PROCESS_COMMAND_LINE_INFORMATION, s, size, &size) >= 0) text = unicode_copy(s);
  free(s);
  return text;
}

/* The command line read from the target's PEB with ReadProcessMemory (needs PROCESS_VM_READ), or NULL. */
static wchar_t *command_line_from_peb(HANDLE process) {
  ULONG_PTR params = remote_parameters(process);
  if (!params) return NULL;
  UNICODE_STRING *remote = read_remote(process, params + PARAMS_COMMAND_LINE, sizeof(UNICODE_STRING));
  if (!remote) return NULL;
  UNICODE_STRING local = *remote;
  free(remote);
  local.Buffer = read_remote(process, (ULONG_PTR)local.Buffer, local.Length);
  wchar_t *text = local.Buffer ? unicode_copy(&local) : NULL;
  free(local.Buffer);
  return text;
}

/* The process's command line, or NULL when it cannot be read. */
wchar_t *process_command_line(HANDLE process) {
  wchar_t *text = command_line_by_query(process);
  return text ? text : command_line_from_peb(process);
}

/* How many bytes from `address` to the end of its memory region (VirtualQueryEx), capped. */
static size_t region_bytes_from(HANDLE process, ULONG_PTR address) {
  MEMORY_BASIC_INFORMATION info;
  if (!VirtualQueryEx(process, (LPCVOID)address, &info, sizeof info)) return 0;
  size_t left = (size_t)((ULONG_PTR)info.BaseAddress + info.RegionSize - address);
  return left > MAX_ENVIRONMENT_BYTES ? MAX_ENVIRONMENT_BYTES : left;
}

/* The target's EnvironmentSize when its RTL_USER_PROCESS_PARAMETERS is new enough to have one, else 0. */
static size_t remote_environment_size(HANDLE process, ULONG_PTR params) {
  ULONG *lengths = read_remote(process, params, 2 * sizeof(ULONG)); /* MaximumLength, Length */
  int has_field = lengths && lengths[1] >= PARAMS_ENVIRONMENT_SIZE + sizeof(SIZE_T);
  free(lengths);
  if (!has_field) return 0;
  SIZE_T *size = read_remote(process, params + PARAMS_ENVIRONMENT_SIZE, sizeof(SIZE_T));
  size_t bytes = size ? *size : 0;
  free(size);
  return bytes;
}

/* The target's environment block ("A=1\0B=2\0\0") from its PEB; *chars = its length in wchar_t.
   NULL with *error set when it cannot be read. */
wchar_t *process_environment(HANDLE process, size_t *chars, DWORD *error) {
  ULONG_PTR params = remote_parameters(process);
  ULONG_PTR *address = params ? read_remote(process, params + PARAMS_ENVIRONMENT, sizeof(ULONG_PTR)) : NULL;
  wchar_t *block = NULL;
  *error = 0;
  if (address && *address) {
    size_t bytes = region_bytes_from(process, *address);
    size_t recorded = remote_environment_size(process, params);
    if (recorded > 0 && recorded < bytes) bytes = recorded;
    bytes &= ~(size_t)1;
    block = bytes ? read_remote(process, *address, bytes) : NULL;
    *chars = bytes / sizeof(wchar_t);
  }
  if (!block) *error = GetLastError() ? GetLastError() : ERROR_PARTIAL_COPY;
  free(address);
  return block;
}
