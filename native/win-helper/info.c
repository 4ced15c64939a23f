/* `info <pid>...` and `list [--command-lines]`: parent pid, creation time, image and command line
   from one process snapshot and one handle per process (no PowerShell, no WMI). */
#include "helper.h"
#include <stdlib.h>

/* One `info` line for a pid. */
static void info_line(DWORD pid, const ProcTable *table) {
  Json j = {0};
  DWORD exit_code = 0;
  HANDLE h = open_process(pid, PROCESS_VM_READ);
  if (!h) h = open_process(pid, 0);
  DWORD open_error = h ? 0 : GetLastError();
  const ProcEntry *entry = proc_table_find(table, pid);
  int alive = h ? process_alive(h, &exit_code) : open_error != ERROR_INVALID_PARAMETER && entry != NULL;
  json_open(&j, '{');
  json_key(&j, "pid");
  json_int(&j, pid);
  json_key(&j, "alive");
  json_bool(&j, alive);
  if (!alive && h) {
    json_key(&j, "exitCode");
    json_int(&j, exit_code);
  }
  if (alive) {
    long long ppid = entry ? (long long)entry->ppid : process_parent(h); /* h is set when there is no entry */
    json_key(&j, "ppid");
    if (ppid >= 0) json_int(&j, ppid);
    else json_null(&j);
    json_creation_of(&j, h);
    wchar_t *exe = h ? process_image_path(h) : NULL;
    wchar_t *command_line = h ? process_command_line(h) : NULL;
    json_key(&j, "exe");
    if (exe) json_wstr(&j, exe);
    else json_wstr(&j, entry ? entry->name : NULL);
    json_key(&j, "commandLine");
    json_wstr(&j, command_line);
    json_key(&j, "exitCode");
    json_null(&j);
    free(exe);
    free(command_line);
  }
  json_close(&j, '}');
  json_emit(&j);
  if (h) CloseHandle(h);
}

/* The `info` verb: one line per pid, in the order given. */
int verb_info(int count, wchar_t **pids) {
  ProcTable table;
  if (!proc_table_read(&table)) return fail_reply("CreateToolhelp32Snapshot", GetLastError());
  for (int i = 0; i < count; i++) {
    DWORD pid = 0;
    parse_pid(pids[i], &pid);
    info_line(pid, &table);
  }
  proc_table_free(&table);
  return EXIT_OK;
}

/* One `list` line. */
static void list_line(const ProcEntry *entry, int with_command_line) {
  Json j = {0};
  HANDLE h = entry->pid ? open_process(entry->pid, with_command_line ? PROCESS_VM_READ : 0) : NULL;
  if (!h && with_command_line && entry->pid) h = open_process(entry->pid, 0);
  json_open(&j, '{');
  json_process_head(&j, entry, h);
  if (with_command_line) {
    wchar_t *command_line = h ? process_command_line(h) : NULL;
    json_key(&j, "commandLine");
    json_wstr(&j, command_line);
    free(command_line);
  }
  json_close(&j, '}');
  json_emit(&j);
  if (h) CloseHandle(h);
}

/* The `list` verb: every process of the snapshot. */
int verb_list(int with_command_lines) {
  ProcTable table;
  if (!proc_table_read(&table)) return fail_reply("CreateToolhelp32Snapshot", GetLastError());
  for (size_t i = 0; i < table.count; i++) list_line(&table.items[i], with_command_lines);
  proc_table_free(&table);
  return EXIT_OK;
}
