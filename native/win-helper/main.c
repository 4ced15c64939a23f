/* agent-tray-helper.exe: one verb per call, JSON lines on stdout (protocol: native/win-helper/README.md).
   spawn | stop <pid> | kill-tree <pid> <createdMs> | info <pid>... | list [--command-lines] | env <pid> NAME... |
   env --all NAME... | watch <ms> | wait */
#include "helper.h"
#include <stdlib.h>
#include <wchar.h>

/* Parse a decimal pid (1..2^32-1); returns 1 on success. */
int parse_pid(const wchar_t *text, DWORD *pid) {
  wchar_t *end = NULL;
  if (!text || !*text) return 0;
  unsigned long long value = wcstoull(text, &end, 10);
  if (*end || value == 0 || value > 0xFFFFFFFFull || text[0] == L'-') return 0;
  *pid = (DWORD)value;
  return 1;
}

/* Parse a non-negative decimal integer (epoch ms, an interval); returns 1 on success. */
static int parse_count(const wchar_t *text, long long *value) {
  wchar_t *end = NULL;
  if (!text || !*text || text[0] == L'-') return 0;
  *value = wcstoll(text, &end, 10);
  return *end == 0;
}

/* `kill-tree <pid> <createdMs>`. */
static int run_kill_tree(int argc, wchar_t **argv) {
  DWORD pid;
  long long created_ms;
  if (argc != 4 || !parse_pid(argv[2], &pid) || !parse_count(argv[3], &created_ms))
    return usage_reply("usage: kill-tree <pid> <createdMs> (0 = do not check the creation time)");
  return verb_kill_tree(pid, created_ms);
}

/* `info <pid> [<pid> ...]`. */
static int run_info(int argc, wchar_t **argv) {
  DWORD pid;
  if (argc < 3) return usage_reply("usage: info <pid> [<pid> ...]");
  for (int i = 2; i < argc; i++)
    if (!parse_pid(argv[i], &pid)) return usage_reply("info: every argument must be a pid");
  return verb_info(argc - 2, argv + 2);
}

/* `env <pid> NAME [NAME ...]` or `env --all NAME [NAME ...]`. */
static int run_env(int argc, wchar_t **argv) {
  DWORD pid;
  if (argc >= 4 && !wcscmp(argv[2], L"--all")) return verb_env_all(argc - 3, argv + 3);
  if (argc < 4 || !parse_pid(argv[2], &pid)) return usage_reply("usage: env <pid> NAME [NAME ...] | env --all NAME [NAME ...]");
  return verb_env(pid, argc - 3, argv + 3);
}

/* `watch <intervalMs>`. */
static int run_watch(int argc, wchar_t **argv) {
  long long interval;
  if (argc != 3 || !parse_count(argv[2], &interval) || interval < 10 || interval > 3600000)
    return usage_reply("usage: watch <intervalMs> (10 to 3600000), then lines `set <pid> ...` on stdin");
  return verb_watch((DWORD)interval);
}

/* Dispatch the verb. */
int wmain(int argc, wchar_t **argv) {
  DWORD pid;
  json_init();
  SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
  const wchar_t *verb = argc > 1 ? argv[1] : L"";
  if (!wcscmp(verb, L"spawn") && argc == 2) return verb_spawn();
  if (!wcscmp(verb, L"stop")) {
    if (argc != 3 || !parse_pid(argv[2], &pid)) return usage_reply("usage: stop <pid>");
    return verb_stop(pid);
  }
  if (!wcscmp(verb, L"kill-tree")) return run_kill_tree(argc, argv);
  if (!wcscmp(verb, L"info")) return run_info(argc, argv);
  if (!wcscmp(verb, L"list")) {
    int lines = argc == 3 && !wcscmp(argv[2], L"--command-lines");
    if (argc > 3 || (argc == 3 && !lines)) return usage_reply("usage: list [--command-lines]");
    return verb_list(lines);
  }
  if (!wcscmp(verb, L"env")) return run_env(argc, argv);
  if (!wcscmp(verb, L"watch")) return run_watch(argc, argv);
  if (!wcscmp(verb, L"wait")) {
    if (argc != 2) return usage_reply("usage: wait, then lines `add <pid> <createdMs>` on stdin");
    return verb_wait();
  }
  return usage_reply("usage: agent-tray-helper spawn | stop <pid> | kill-tree <pid> <createdMs> | info <pid>... | list [--command-lines] | env <pid> NAME... | env --all NAME... | watch <intervalMs> | wait");
}
