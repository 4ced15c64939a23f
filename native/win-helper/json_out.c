/* JSON output: objects built in a buffer and written as one UTF-8 line to stdout. */
#include "helper.h"
#include <stdlib.h>
#include <string.h>

static HANDLE out_handle = INVALID_HANDLE_VALUE;

/* Remember stdout before anything (AttachConsole in `stop` may change the std handles). */
void json_init(void) {
  out_handle = GetStdHandle(STD_OUTPUT_HANDLE);
}

/* Append bytes to the buffer, growing it as needed. */
static void put(Json *j, const char *bytes, size_t count) {
  if (j->len + count + 2 > j->cap) {
    size_t cap = j->cap ? j->cap : 256;
    while (j->len + count + 2 > cap) cap *= 2;
    char *grown = realloc(j->data, cap);
    if (!grown) ExitProcess(EXIT_FAILED);
    j->data = grown;
    j->cap = cap;
  }
  memcpy(j->data + j->len, bytes, count);
  j->len += count;
}

/* A comma before a value or key when one came before it at this level. */
static void separate(Json *j) {
  if (j->need_comma) put(j, ",", 1);
  j->need_comma = 0;
}

/* Open an object ('{') or array ('['). */
void json_open(Json *j, char bracket) {
  separate(j);
  put(j, &bracket, 1);
}

/* Close an object ('}') or array (']'). */
void json_close(Json *j, char bracket) {
  put(j, &bracket, 1);
  j->need_comma = 1;
}

/* Append UTF-8 text as a quoted JSON string: quotes, backslashes and control characters escaped. */
static void put_quoted(Json *j, const char *text, size_t count) {
  static const char hex[] = "0123456789abcdef";
  put(j, "\"", 1);
  for (size_t i = 0; i < count; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c == '"') put(j, "\\\"", 2);
    else if (c == '\\') put(j, "\\\\", 2);
    else if (c == '\n') put(j, "\\n", 2);
    else if (c == '\r') put(j, "\\r", 2);
    else if (c == '\t') put(j, "\\t", 2);
    else if (c < 0x20 || c == 0x7f) {
      char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      put(j, esc, 6);
    } else put(j, (const char *)&text[i], 1);
  }
  put(j, "\"", 1);
}

/* An object key. */
void json_key(Json *j, const char *key) {
  separate(j);
  put_quoted(j, key, strlen(key));
  put(j, ":", 1);
}

/* An object key given as UTF-16. */
void json_wkey(Json *j, const wchar_t *key) {
  json_wstr(j, key);
  put(j, ":", 1);
  j->need_comma = 0;
}

/* A string value given as UTF-8; NULL writes null. */
void json_str(Json *j, const char *utf8) {
  if (!utf8) {
    json_null(j);
    return;
  }
  separate(j);
  put_quoted(j, utf8, strlen(utf8));
  j->need_comma = 1;
}

/* A string value given as UTF-16 of a known length, converted to UTF-8. */
void json_wstr_n(Json *j, const wchar_t *text, size_t count) {
  if (!text) {
    json_null(j);
    return;
  }
  separate(j);
  int bytes = count ? WideCharToMultiByte(CP_UTF8, 0, text, (int)count, NULL, 0, NULL, NULL) : 0;
  char *utf8 = malloc((size_t)bytes + 1);
  if (!utf8) ExitProcess(EXIT_FAILED);
  if (bytes) WideCharToMultiByte(CP_UTF8, 0, text, (int)count, utf8, bytes, NULL, NULL);
  put_quoted(j, utf8, (size_t)bytes);
  free(utf8);
  j->need_comma = 1;
}

/* A NUL-terminated UTF-16 string value; NULL writes null. */
void json_wstr(Json *j, const wchar_t *text) {
  json_wstr_n(j, text, text ? wcslen(text) : 0);
}

/* Decimal digits of an unsigned 64-bit number into buf (at least 21 bytes); returns the text. */
static const char *u64_text(unsigned long long value, char *buf) {
  char *p = buf + 20;
  *p = 0;
  do {
    *--p = (char)('0' + value % 10);
    value /= 10;
  } while (value);
  return p;
}

/* An integer value. */
void json_int(Json *j, long long value) {
  char buf[22];
  separate(j);
  if (value < 0) {
    put(j, "-", 1);
    value = -value;
  }
  const char *digits = u64_text((unsigned long long)value, buf);
  put(j, digits, strlen(digits));
  j->need_comma = 1;
}

/* An unsigned 64-bit number as a decimal string value (exact beyond JavaScript's 2^53). */
void json_u64_string(Json *j, unsigned long long value) {
  char buf[22];
  json_str(j, u64_text(value, buf));
}

/* true or false. */
void json_bool(Json *j, int value) {
  separate(j);
  put(j, value ? "true" : "false", value ? 4 : 5);
  j->need_comma = 1;
}

/* null. */
void json_null(Json *j) {
  separate(j);
  put(j, "null", 4);
  j->need_comma = 1;
}

/* Write the buffer as one line to stdout and empty it. */
void json_emit(Json *j) {
  put(j, "\n", 1);
  size_t done = 0;
  while (done < j->len) {
    DWORD wrote = 0;
    if (!WriteFile(out_handle, j->data + done, (DWORD)(j->len - done), &wrote, NULL) || wrote == 0) break;
    done += wrote;
  }
  free(j->data);
  memset(j, 0, sizeof *j);
}

/* The system's message for an error code (FormatMessageW), whitespace trimmed; the caller frees it. */
static wchar_t *error_message(DWORD code) {
  wchar_t *text = NULL;
  DWORD flags = FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS;
  DWORD n = FormatMessageW(flags, NULL, code, 0, (wchar_t *)&text, 0, NULL);
  if (n == 0 || !text) return NULL;
  while (n > 0 && (text[n - 1] == L'\r' || text[n - 1] == L'\n' || text[n - 1] == L' ' || text[n - 1] == L'\t')) text[--n] = 0;
  return text;
}

/* Adds "code" and "message" for a Windows error to an open object. */
void json_error_fields(Json *j, DWORD code) {
  wchar_t *message = error_message(code);
  json_key(j, "code");
  json_int(j, code);
  json_key(j, "message");
  if (message) json_wstr(j, message);
  else json_str(j, "unknown error");
  if (message) LocalFree(message);
}

/* Opens a failure line: {"ok":false,"step":... (the caller adds code and message, and closes it). */
static void fail_head(Json *j, const char *step) {
  json_open(j, '{');
  json_key(j, "ok");
  json_bool(j, 0);
  json_key(j, "step");
  json_str(j, step);
}

/* Prints {"ok":false,"step":...,"code":...,"message":...}; returns the failure exit code. */
int fail_reply(const char *step, DWORD code) {
  Json j = {0};
  fail_head(&j, step);
  json_error_fields(&j, code);
  json_close(&j, '}');
  json_emit(&j);
  return EXIT_FAILED;
}

/* Prints {"ok":false,"step":...,"code":...,"message":...} with the helper's own message (not a system one); returns EXIT_FAILED. */
int text_fail_reply(const char *step, DWORD code, const char *message) {
  Json j = {0};
  fail_head(&j, step);
  json_key(&j, "code");
  json_int(&j, code);
  json_key(&j, "message");
  json_str(&j, message);
  json_close(&j, '}');
  json_emit(&j);
  return EXIT_FAILED;
}

/* Prints {"ok":false,"step":"usage","code":87,"message":...}; returns the usage exit code. */
int usage_reply(const char *message) {
  text_fail_reply("usage", ERROR_INVALID_PARAMETER, message);
  return EXIT_USAGE;
}
