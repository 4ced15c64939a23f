/* JSON input: the one object `spawn` reads from stdin (string values and one "env" object). */
#include "helper.h"
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *p, *end;
  const char *error;
} Reader;

/* Skip JSON whitespace. */
static void skip_space(Reader *r) {
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')) r->p++;
}

/* Consume one expected character; records an error otherwise. */
static int expect(Reader *r, char c) {
  skip_space(r);
  if (r->p < r->end && *r->p == c) {
    r->p++;
    return 1;
  }
  if (!r->error) r->error = "the request is not valid JSON";
  return 0;
}

/* Read four hex digits of a \u escape. */
static int hex4(Reader *r, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    if (r->p >= r->end) return 0;
    char c = *r->p++;
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return 0;
  }
  *out = v;
  return 1;
}

/* Append a code point as UTF-8. */
static size_t put_utf8(char *out, unsigned cp) {
  if (cp < 0x80) { out[0] = (char)cp; return 1; }
  if (cp < 0x800) { out[0] = (char)(0xC0 | (cp >> 6)); out[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12)); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18)); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Decode a \uXXXX escape (with its surrogate pair) into UTF-8; returns bytes written, 0 on error. */
static size_t unicode_escape(Reader *r, char *out) {
  unsigned cp, low;
  if (!hex4(r, &cp)) return 0;
  if (cp >= 0xD800 && cp <= 0xDBFF && r->end - r->p >= 6 && r->p[0] == '\\' && r->p[1] == 'u') {
    r->p += 2;
    if (!hex4(r, &low) || low < 0xDC00 || low > 0xDFFF) return 0;
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  }
  return put_utf8(out, cp);
}

/* Convert UTF-8 to a new NUL-terminated UTF-16 string. */
static wchar_t *to_wide(const char *utf8, size_t len) {
  int n = len ? MultiByteToWideChar(CP_UTF8, 0, utf8, (int)len, NULL, 0) : 0;
  wchar_t *w = malloc(((size_t)n + 1) * sizeof(wchar_t));
  if (!w) ExitProcess(EXIT_FAILED);
  if (n) MultiByteToWideChar(CP_UTF8, 0, utf8, (int)len, w, n);
  w[n] = 0;
  return w;
}

/* Read a JSON string into a new UTF-16 string (escapes decoded). */
static wchar_t *read_string(Reader *r) {
  if (!expect(r, '"')) return NULL;
  char *buf = malloc((size_t)(r->end - r->p) + 4);
  size_t n = 0;
  if (!buf) ExitProcess(EXIT_FAILED);
  while (r->p < r->end && *r->p != '"') {
    char c = *r->p++;
    if (c != '\\') { buf[n++] = c; continue; }
    if (r->p >= r->end) break;
    c = *r->p++;
    switch (c) {
      case 'n': buf[n++] = '\n'; break;
      case 't': buf[n++] = '\t'; break;
      case 'r': buf[n++] = '\r'; break;
      case 'b': buf[n++] = '\b'; break;
      case 'f': buf[n++] = '\f'; break;
      case 'u': {
        size_t k = unicode_escape(r, buf + n);
        if (!k) r->error = "the request has a bad \\u escape";
        n += k;
        break;
      }
      default: buf[n++] = c; /* \" \\ \/ */
    }
  }
  wchar_t *w = expect(r, '"') ? to_wide(buf, n) : NULL;
  free(buf);
  return r->error ? NULL : w;
}

/* Skip any JSON value (for keys the helper does not know). */
static void skip_value(Reader *r) {
  skip_space(r);
  if (r->p >= r->end) { r->error = "the request ends early"; return; }
  if (*r->p == '"') { free(read_string(r)); return; }
  if (*r->p == '{' || *r->p == '[') {
    char open = *r->p, close = open == '{' ? '}' : ']';
    r->p++;
    skip_space(r);
    if (r->p < r->end && *r->p == close) { r->p++; return; }
    do {
      if (open == '{') { free(read_string(r)); expect(r, ':'); }
      skip_value(r);
      skip_space(r);
    } while (!r->error && r->p < r->end && *r->p == ',' && r->p++);
    expect(r, close);
    return;
  }
  while (r->p < r->end && strchr(",}] \t\r\n", *r->p) == NULL) r->p++; /* number, true, false, null */
}

/* Read a string or null (returns NULL for null). */
static wchar_t *read_optional_string(Reader *r) {
  skip_space(r);
  if (r->end - r->p >= 4 && memcmp(r->p, "null", 4) == 0) { r->p += 4; return NULL; }
  return read_string(r);
}

/* Join a name and a value into "NAME=value". */
static wchar_t *env_entry(const wchar_t *name, const wchar_t *value) {
  size_t a = wcslen(name), b = wcslen(value);
  wchar_t *entry = malloc((a + b + 2) * sizeof(wchar_t));
  if (!entry) ExitProcess(EXIT_FAILED);
  memcpy(entry, name, a * sizeof(wchar_t));
  entry[a] = L'=';
  memcpy(entry + a + 1, value, (b + 1) * sizeof(wchar_t));
  return entry;
}

/* Read the "env" object: every value must be a string. */
static void read_env(Reader *r, SpawnRequest *req) {
  req->has_env = 1;
  if (!expect(r, '{')) return;
  skip_space(r);
  if (r->p < r->end && *r->p == '}') { r->p++; return; }
  do {
    wchar_t *name = read_string(r);
    expect(r, ':');
    wchar_t *value = read_string(r);
    if (name && value) {
      if (!name[0] || wcschr(name + 1, L'=')) r->error = "an env name is empty or contains '='";
      req->env = realloc(req->env, (req->env_count + 1) * sizeof(wchar_t *));
      if (!req->env) ExitProcess(EXIT_FAILED);
      req->env[req->env_count++] = env_entry(name, value);
    } else if (!r->error) r->error = "every env value must be a string";
    free(name);
    free(value);
    skip_space(r);
  } while (!r->error && r->p < r->end && *r->p == ',' && r->p++);
  expect(r, '}');
}

/* Parse the spawn request; returns 1 on success, else 0 with req->error set. */
int parse_spawn_request(const char *text, size_t len, SpawnRequest *req) {
  Reader r = {text, text + len, NULL};
  memset(req, 0, sizeof *req);
  if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB && (unsigned char)text[2] == 0xBF) r.p += 3;
  if (!expect(&r, '{')) { req->error = "the request on stdin must be one JSON object"; return 0; }
  skip_space(&r);
  if (r.p < r.end && *r.p == '}') r.p++;
  else do {
    wchar_t *key = read_string(&r);
    expect(&r, ':');
    if (!key) break;
    if (!wcscmp(key, L"application")) req->application = read_optional_string(&r);
    else if (!wcscmp(key, L"commandLine")) req->command_line = read_optional_string(&r);
    else if (!wcscmp(key, L"cwd")) req->cwd = read_optional_string(&r);
    else if (!wcscmp(key, L"stdout")) req->stdout_path = read_optional_string(&r);
    else if (!wcscmp(key, L"stderr")) req->stderr_path = read_optional_string(&r);
    else if (!wcscmp(key, L"env")) read_env(&r, req);
    else skip_value(&r);
    free(key);
    skip_space(&r);
  } while (!r.error && r.p < r.end && *r.p == ',' && r.p++);
  if (!r.error) expect(&r, '}');
  if (!r.error && !req->command_line) r.error = "the request has no \"commandLine\"";
  req->error = r.error;
  return r.error == NULL;
}
