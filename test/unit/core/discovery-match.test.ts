// Recognising an agent's command line as the operating system shows it (pure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandLineMatches } from '../../../electron/core/discovery.js';

const def = (command: string, args: string[] = []) => ({ command, args });

test('a program run directly: its name and arguments in order', () => {
  assert.ok(commandLineMatches(['/usr/bin/node', '/srv/app.js', '--port', '8001'], def('node', ['/srv/app.js', '--port', '8001'])));
  assert.ok(!commandLineMatches(['/usr/bin/node', '/srv/other.js'], def('node', ['/srv/app.js'])));
  assert.ok(!commandLineMatches(['/usr/bin/python3', '/srv/app.js'], def('node', ['/srv/app.js'])));
});

test('a script run through its #! line: the interpreter (and one flag) first, then the script and its arguments', () => {
  // #!/bin/sh
  assert.ok(commandLineMatches(['/bin/sh', '/home/me/worker.sh', '--queue', 'jobs'], def('/home/me/worker.sh', ['--queue', 'jobs'])));
  // #!/usr/bin/env python3 (env execs python3, which keeps the script path)
  assert.ok(commandLineMatches(['python3', '/home/me/server.py'], def('/home/me/server.py')));
  // #!/usr/bin/python3 -u
  assert.ok(commandLineMatches(['/usr/bin/python3', '-u', '/home/me/server.py', 'serve'], def('server.py', ['serve'])));
  // the arguments must still follow the script
  assert.ok(!commandLineMatches(['/bin/sh', '/home/me/worker.sh', '--queue', 'other'], def('/home/me/worker.sh', ['--queue', 'jobs'])));
  // an editor with the script open is not the agent: only flags may stand between
  assert.ok(!commandLineMatches(['vim', 'notes.txt', '/home/me/worker.sh'], def('/home/me/worker.sh')));
});
