/* `env <pid> NAME...`: values of named variables from another process's environment block (its PEB). */
#include "helper.h"
#include <stdlib.h>

/* The value of NAME in an environment block (names compared case-insensitively), or NULL; *len its length. */
static const wchar_t *lookup(const wchar_t *block, size_t chars, const wchar_t *name, size_t *len) {
  size_t name_len = wcslen(name);
  const wchar_t *end = block + chars;
  for (const wchar_t *p = block; p < end && *p;) {
    const wchar_t *q = p;
    while (q < end && *q) q++;
    const wchar_t *eq = p + 1; /* a name may start with '=' (the per-drive "=C:" entries) */
    while (eq < q && *eq != L'=') eq++;
    if (eq < q && (size_t)(eq - p) == name_len && CompareStringOrdinal(p, (int)name_len, name, (int)name_len, TRUE) == CSTR_EQUAL) {
      *len = (size_t)(q - eq - 1);
      return eq + 1;
    }
    p = q + 1;
  }
  return NULL;
}

/* The `env` verb: {"pid":..,"env":{"NAME":"value"|null}} or {"pid":..,"env":null,"message":...}. */
int verb_env(DWORD pid, int count, wchar_t **names) {
  Json j = {0};
  size_t chars = 0;
  DWORD error = 0;
  HANDLE h = open_process(pid, PROCESS_QUERY_INFORMATION | PROCESS_VM_READ);
  wchar_t *block = h ? process_environment(h, &chars, &error) : NULL;
  if (!h) error = GetLastError();
  json_open(&j, '{');
  json_key(&j, "pid");
  json_int(&j, pid);
  json_key(&j, "env");
  if (!block) {
    json_null(&j);
    json_error_fields(&j, error);
  } else {
    json_open(&j, '{');
    for (int i = 0; i < count; i++) {
      size_t len = 0;
      const wchar_t *value = lookup(block, chars, names[i], &len);
      json_wkey(&j, names[i]);
      if (value) json_wstr_n(&j, value, len);
      else json_null(&j);
    }
    json_close(&j, '}');
  }
  json_close(&j, '}');
  json_emit(&j);
  free(block);
  if (h) CloseHandle(h);
  return EXIT_OK;
}
