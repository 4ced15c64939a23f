// Unit tests for preflight on real directories and files: the working directory, PATH lookup, relative paths, the exec bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AgentTrayError } from '../../../electron/core/errors.js';
import { preflight, type PreflightInput } from '../../../electron/core/preflight.js';
import { tempDir } from '../../helpers/temp-dir.js';

const posix = process.platform !== 'win32';

/** The AgentTrayError preflight throws for `input`. */
async function refusal(input: PreflightInput): Promise<AgentTrayError> {
  try {
    await preflight(input);
  } catch (err) {
    assert.ok(err instanceof AgentTrayError, `expected an AgentTrayError, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected preflight to refuse ${JSON.stringify(input)}`);
}

/** A temp dir with an agent directory in it; removed after `fn`. */
async function withDir(fn: (dir: string, cwd: string) => Promise<void>): Promise<void> {
  const { dir, cleanup } = await tempDir();
  try {
    const cwd = path.join(dir, 'agent');
    await mkdir(cwd);
    await fn(dir, cwd);
  } finally {
    await cleanup();
  }
}

const base = { name: 'researcher', platform: process.platform, env: { PATH: process.env.PATH ?? '' } };

test('a missing cwd is refused with the path and how to fix it', async () => {
  await withDir(async (dir) => {
    const cwd = path.join(dir, 'nope');
    const err = await refusal({ ...base, command: 'node', cwd });
    assert.equal(err.code, 'cwd-missing');
    assert.ok(err.message.includes(cwd), err.message);
    assert.ok(err.message.includes('"researcher"'));
    assert.match(err.hint ?? '', /Create the directory|change "cwd"/);
    assert.deepEqual(err.details, { name: 'researcher', cwd });
  });
});

test('a cwd that is a file is refused', async () => {
  await withDir(async (dir) => {
    const cwd = path.join(dir, 'file.txt');
    await writeFile(cwd, 'not a dir');
    const err = await refusal({ ...base, command: 'node', cwd });
    assert.equal(err.code, 'cwd-missing');
    assert.ok(err.message.includes(cwd));
    assert.match(err.message, /is a file, not a directory/);
  });
});

test('a command on PATH resolves to an absolute, existing path', async () => {
  await withDir(async (_dir, cwd) => {
    const found = await preflight({ ...base, command: 'node', cwd });
    assert.ok(path.isAbsolute(found), found);
    assert.equal(await realpath(found), await realpath(process.execPath));
  });
});

test('the PATH of the agent\'s env is searched, not the manager\'s', async () => {
  await withDir(async (dir, cwd) => {
    const bin = path.join(dir, 'bin');
    await mkdir(bin);
    const tool = path.join(bin, 'my-agent-tool');
    await writeFile(tool, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    assert.equal(await preflight({ ...base, command: 'my-agent-tool', cwd, env: { PATH: `/nonexistent${path.delimiter}${bin}` } }), tool);
    const err = await refusal({ ...base, command: 'my-agent-tool', cwd });
    assert.equal(err.code, 'command-not-found');
  });
});

test('a command not on PATH is refused, naming the command and the PATH searched', async () => {
  await withDir(async (dir, cwd) => {
    const err = await refusal({ ...base, command: 'no-such-agent-program-xyz', cwd, env: { PATH: dir } });
    assert.equal(err.code, 'command-not-found');
    assert.ok(err.message.includes('"no-such-agent-program-xyz"'), err.message);
    assert.match(err.message, /not found on PATH/);
    assert.ok(err.message.includes(dir), 'says which PATH was searched');
  });
});

test('a relative path is resolved against the agent\'s cwd', { skip: !posix && 'uses the exec bit' }, async () => {
  await withDir(async (_dir, cwd) => {
    await mkdir(path.join(cwd, 'scripts'));
    const script = path.join(cwd, 'scripts', 'run.sh');
    await writeFile(script, '#!/bin/sh\n', { mode: 0o755 });
    assert.equal(await preflight({ ...base, command: './scripts/run.sh', cwd }), script);
    assert.equal(await preflight({ ...base, command: 'scripts/run.sh', cwd }), script);
    assert.equal(await preflight({ ...base, command: script, cwd: path.dirname(cwd) }), script);
  });
});

test('a relative path that does not exist (or is a directory) is refused with the resolved path', async () => {
  await withDir(async (_dir, cwd) => {
    await mkdir(path.join(cwd, 'sub'));
    for (const command of ['./missing.sh', './sub']) {
      const err = await refusal({ ...base, command, cwd });
      assert.equal(err.code, 'command-not-found');
      assert.ok(err.message.includes(path.resolve(cwd, command)), err.message);
      assert.match(err.message, /does not exist/);
    }
  });
});

test('a file without the exec bit is refused with "chmod +x"', { skip: !posix && 'POSIX permissions' }, async () => {
  await withDir(async (_dir, cwd) => {
    const script = path.join(cwd, 'agent.py');
    await writeFile(script, 'print("hi")\n');
    await chmod(script, 0o644);
    const err = await refusal({ ...base, command: './agent.py', cwd });
    assert.equal(err.code, 'command-not-found');
    assert.match(err.message, /is not executable/);
    assert.ok(err.message.includes(`chmod +x ${script}`), err.message);
  });
});

test('with no PATH at all, a bare command is not found', async () => {
  await withDir(async (dir, cwd) => {
    const previous = process.cwd();
    await writeFile(path.join(dir, 'stray-tool'), '#!/bin/sh\n', { mode: 0o755 });
    process.chdir(dir);
    try {
      const err = await refusal({ ...base, command: 'stray-tool', cwd, env: {} });
      assert.equal(err.code, 'command-not-found');
    } finally {
      process.chdir(previous);
    }
  });
});
