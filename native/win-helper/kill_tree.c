/* `kill-tree <pid> <createdMs>`: TerminateProcess on a process and its descendants, leaves first.
   A descendant is a process whose parent pid is in the tree and that was created no earlier than
   that parent, so a recycled pid never pulls in a stranger. Handles are held from the check to
   the kill: a pid cannot be reused in between. */
#include "helper.h"
#include <stdlib.h>

typedef struct {
  DWORD pid;
  HANDLE handle; /* NULL when it could not be opened */
  DWORD open_error;
  unsigned long long created;
} Member;

typedef struct {
  Member *items;
  size_t count, cap;
} Tree;

/* Add a process to the tree. */
static void tree_add(Tree *tree, Member member) {
  if (tree->count == tree->cap) {
    tree->cap = tree->cap ? tree->cap * 2 : 16;
    tree->items = realloc(tree->items, tree->cap * sizeof(Member));
    if (!tree->items) ExitProcess(EXIT_FAILED);
  }
  tree->items[tree->count++] = member;
}

/* Is this pid already in the tree? */
static int tree_has(const Tree *tree, DWORD pid) {
  for (size_t i = 0; i < tree->count; i++)
    if (tree->items[i].pid == pid) return 1;
  return 0;
}

/* Open a process to check and end it; its creation time read. */
static Member open_member(DWORD pid) {
  Member m = {pid, open_process(pid, PROCESS_TERMINATE | SYNCHRONIZE), 0, 0};
  if (!m.handle) m.open_error = GetLastError();
  else process_creation(m.handle, &m.created);
  return m;
}

/* Walk the snapshot breadth-first from the root, adding every child created no earlier than its parent. */
static void add_descendants(Tree *tree, const ProcTable *table) {
  for (size_t at = 0; at < tree->count; at++) {
    Member parent = tree->items[at];
    if (!parent.handle) continue; /* an unopened parent's creation time is unknown: its children cannot be told apart */
    for (size_t i = 0; i < table->count; i++) {
      const ProcEntry *e = &table->items[i];
      if (e->ppid != parent.pid || e->pid == 0 || tree_has(tree, e->pid)) continue;
      Member child = open_member(e->pid);
      if (child.handle && child.created < parent.created) {
        CloseHandle(child.handle); /* a recycled parent pid: a stranger */
        continue;
      }
      if (!child.handle && child.open_error == ERROR_INVALID_PARAMETER) continue; /* gone since the snapshot */
      tree_add(tree, child);
    }
  }
}

enum Outcome { KILLED, FAILED, GONE };

/* End one member; returns what happened (the error in m->open_error when it failed). */
static enum Outcome end_member(Member *m) {
  if (!m->handle) return m->open_error == ERROR_INVALID_PARAMETER ? GONE : FAILED;
  if (!process_alive(m->handle, NULL)) return GONE;
  if (TerminateProcess(m->handle, 1)) {
    WaitForSingleObject(m->handle, 2000);
    return KILLED;
  }
  m->open_error = GetLastError();
  return process_alive(m->handle, NULL) ? FAILED : GONE; /* it may have ended on its own meanwhile */
}

/* Write one array of the reply: the pids with this outcome (with their errors for FAILED). */
static void write_outcomes(Json *j, const char *key, const Tree *tree, const enum Outcome *outcomes, enum Outcome which) {
  json_key(j, key);
  json_open(j, '[');
  for (size_t i = tree->count; i-- > 0;) {
    if (outcomes[i] != which) continue;
    if (which != FAILED) {
      json_int(j, tree->items[i].pid);
      continue;
    }
    json_open(j, '{');
    json_key(j, "pid");
    json_int(j, tree->items[i].pid);
    json_error_fields(j, tree->items[i].open_error);
    json_close(j, '}');
  }
  json_close(j, ']');
}

/* The `kill-tree` verb. */
int verb_kill_tree(DWORD pid, long long created_ms) {
  Tree tree = {0};
  ProcTable table;
  Json j = {0};
  Member root = open_member(pid);
  int root_matches = root.handle && (created_ms == 0 || llabs(filetime_to_epoch_ms(root.created) - created_ms) <= 1);
  if (root.handle && !root_matches) {
    CloseHandle(root.handle); /* the pid now belongs to another process: touch nothing */
    root.handle = NULL;
    root.open_error = ERROR_INVALID_PARAMETER;
  }
  tree_add(&tree, root);
  if (root.handle) {
    if (!proc_table_read(&table)) return fail_reply("CreateToolhelp32Snapshot", GetLastError());
    add_descendants(&tree, &table);
    proc_table_free(&table);
  }
  enum Outcome *outcomes = calloc(tree.count, sizeof(enum Outcome));
  if (!outcomes) ExitProcess(EXIT_FAILED);
  for (size_t i = tree.count; i-- > 0;) { /* breadth-first order reversed: leaves first */
    outcomes[i] = end_member(&tree.items[i]);
    if (tree.items[i].handle) CloseHandle(tree.items[i].handle);
  }
  json_open(&j, '{');
  json_key(&j, "ok");
  json_bool(&j, 1);
  write_outcomes(&j, "killed", &tree, outcomes, KILLED);
  write_outcomes(&j, "failed", &tree, outcomes, FAILED);
  write_outcomes(&j, "gone", &tree, outcomes, GONE);
  json_close(&j, '}');
  json_emit(&j);
  free(outcomes);
  free(tree.items);
  return EXIT_OK;
}
