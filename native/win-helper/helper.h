/* agent-tray-helper: the Windows process helper of Agent Tray (protocol: native/win-helper/README.md).
   Shared declarations of its small modules. */
#ifndef AGENT_TRAY_HELPER_H
#define AGENT_TRAY_HELPER_H

#define WIN32_LEAN_AND_MEAN
#define PSAPI_VERSION 2
#include <windows.h>
#include <stddef.h>

/* Exit codes. */
#define EXIT_OK 0
#define EXIT_FAILED 1
#define EXIT_USAGE 2

/* ---- json_out.c: one JSON object per line on stdout, UTF-8 ---- */
typedef struct {
  char *data;
  size_t len, cap;
  int need_comma;
} Json;

void json_init(void);
void json_open(Json *j, char bracket);
void json_close(Json *j, char bracket);
void json_key(Json *j, const char *key);
void json_wkey(Json *j, const wchar_t *key);
void json_str(Json *j, const char *utf8);
void json_wstr(Json *j, const wchar_t *text);
void json_wstr_n(Json *j, const wchar_t *text, size_t count);
void json_int(Json *j, long long value);
void json_u64_string(Json *j, unsigned long long value);
void json_bool(Json *j, int value);
void json_null(Json *j);
void json_emit(Json *j);
void json_error_fields(Json *j, DWORD code);
int fail_reply(const char *step, DWORD code);
int usage_reply(const char *message);
int text_fail_reply(const char *step, DWORD code, const char *message);

/* ---- json_in.c: the spawn request ---- */
typedef struct {
  wchar_t *application, *command_line, *cwd, *stdout_path, *stderr_path;
  wchar_t **env;   /* "NAME=value" strings */
  size_t env_count;
  int has_env;
  const char *error; /* set when the request cannot be parsed */
} SpawnRequest;

int parse_spawn_request(const char *text, size_t len, SpawnRequest *req);

/* ---- proc_facts.c: facts about one process ---- */
typedef struct {
  DWORD pid, ppid;
  DWORD threads;
  wchar_t name[MAX_PATH];
} ProcEntry;

typedef struct {
  ProcEntry *items;
  size_t count;
} ProcTable;

int proc_table_read(ProcTable *table);
void proc_table_free(ProcTable *table);
const ProcEntry *proc_table_find(const ProcTable *table, DWORD pid);

HANDLE open_process(DWORD pid, DWORD extra_access);
int process_creation(HANDLE process, unsigned long long *filetime);
long long filetime_to_epoch_ms(unsigned long long filetime);
int process_alive(HANDLE process, DWORD *exit_code);
long long process_parent(HANDLE process);
wchar_t *process_image_path(HANDLE process);
wchar_t *process_command_line(HANDLE process);
wchar_t *process_environment(HANDLE process, size_t *chars, DWORD *error);
void json_process_times(Json *j, unsigned long long filetime);
void json_creation_of(Json *j, HANDLE process);
void json_process_head(Json *j, const ProcEntry *entry, HANDLE process);

/* ---- the verbs ---- */
int verb_spawn(void);
int verb_stop(DWORD pid);
int verb_kill_tree(DWORD pid, long long created_ms);
int verb_info(int count, wchar_t **pids);
int verb_list(int with_command_lines);
int verb_env(DWORD pid, int count, wchar_t **names);
int verb_env_all(int count, wchar_t **names);
int verb_watch(DWORD interval_ms);
int verb_wait(void);

/* stdin_lines.c: the line reader of the resident verbs */
void read_stdin_lines(void (*on_line)(char *line));

/* main.c */
int parse_pid(const wchar_t *text, DWORD *pid);

#endif
