/* Lines from stdin for the resident verbs (`watch`, `wait`): each line, without its newline, handed to a callback. */
#include "helper.h"
#include <string.h>

/* Read stdin until it closes (or fails), calling on_line for every complete line; a line longer than 64 kB is dropped. */
void read_stdin_lines(void (*on_line)(char *line)) {
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
  static char buf[65536];
  size_t len = 0;
  for (;;) {
    DWORD got = 0;
    if (len == sizeof buf - 1) len = 0; /* an absurdly long line: dropped */
    if (!ReadFile(in, buf + len, (DWORD)(sizeof buf - 1 - len), &got, NULL) || got == 0) break;
    len += got;
    char *start = buf, *newline;
    while ((newline = memchr(start, '\n', len - (size_t)(start - buf))) != NULL) {
      *newline = 0;
      on_line(start);
      start = newline + 1;
    }
    len -= (size_t)(start - buf);
    memmove(buf, start, len);
  }
}
