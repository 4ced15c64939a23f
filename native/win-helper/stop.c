/* `stop <pid>`: the graceful stop Windows console programs understand, CTRL_BREAK to the agent's
   process group through its console. Every failing step is reported as it is, never faked. */
#include "helper.h"

/* Reply {"ok":true}. */
static int ok_reply(void) {
  Json j = {0};
  json_open(&j, '{');
  json_key(&j, "ok");
  json_bool(&j, 1);
  json_close(&j, '}');
  json_emit(&j);
  return EXIT_OK;
}

/* FreeConsole; AttachConsole(pid); ignore Ctrl+C here; GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, pid); FreeConsole. */
int verb_stop(DWORD pid) {
  FreeConsole();
  if (!AttachConsole(pid)) return fail_reply("AttachConsole", GetLastError());
  if (!SetConsoleCtrlHandler(NULL, TRUE)) {
    DWORD error = GetLastError();
    FreeConsole();
    return fail_reply("SetConsoleCtrlHandler", error);
  }
  if (!GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, pid)) {
    DWORD error = GetLastError();
    FreeConsole();
    return fail_reply("GenerateConsoleCtrlEvent", error);
  }
  FreeConsole();
  return ok_reply();
}
