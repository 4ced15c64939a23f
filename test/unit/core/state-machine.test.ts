// Unit tests for the agent lifecycle as data: canTransition, nextStates, isActive, stateAfterExit (DESIGN.md, "Agent lifecycle").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canTransition, isActive, nextStates, stateAfterExit } from '../../../electron/core/state-machine.js';
import { AGENT_STATES, type AgentState } from '../../../shared/status.js';

test('every arrow of the lifecycle diagram is allowed', () => {
  const arrows: [AgentState, AgentState, string][] = [
    ['stopped', 'starting', 'start'],
    ['starting', 'running', 'spawned & verified'],
    ['starting', 'errored', 'spawn failed / refused'],
    ['running', 'stopping', 'stop'],
    ['stopping', 'stopped', 'every process gone'],
    ['running', 'backoff', 'exited unexpectedly'],
    ['backoff', 'starting', 'budget left'],
    ['backoff', 'crashed', 'budget spent'],
    ['backoff', 'stopped', 'stop while waiting'],
    ['running', 'stopped', 'a one-shot agent exits 0'],
    ['crashed', 'starting', 'start again'],
    ['errored', 'starting', 'start again'],
  ];
  for (const [from, to, why] of arrows) assert.ok(canTransition(from, to), `${from} -> ${to} (${why})`);
});

test('a process cannot be running without starting first', () => {
  for (const from of ['stopped', 'stopping', 'crashed', 'errored', 'backoff'] as const) {
    assert.equal(canTransition(from, 'running'), false, `${from} -> running`);
  }
});

test('other transitions the lifecycle forbids', () => {
  const forbidden: [AgentState, AgentState][] = [
    ['stopped', 'stopping'],
    ['stopped', 'crashed'],
    ['stopped', 'backoff'],
    ['stopping', 'starting'],
    ['stopping', 'backoff'],
    ['crashed', 'backoff'],
    ['errored', 'running'],
  ];
  for (const [from, to] of forbidden) assert.equal(canTransition(from, to), false, `${from} -> ${to}`);
});

test('no state follows itself', () => {
  for (const state of AGENT_STATES) assert.equal(canTransition(state, state), false, state);
});

test('nextStates lists exactly the states canTransition allows, and every state has a way on', () => {
  for (const from of AGENT_STATES) {
    const next = nextStates(from);
    assert.ok(next.length > 0, `${from} is a dead end`);
    for (const to of AGENT_STATES) assert.equal(next.includes(to), canTransition(from, to), `${from} -> ${to}`);
  }
  assert.deepEqual(nextStates('stopped'), ['starting', 'waiting']);
  assert.deepEqual(nextStates('waiting'), ['starting', 'stopped', 'errored']);
  assert.deepEqual(nextStates('stopping'), ['stopped']);
});

test('every state can reach stopped', () => {
  for (const start of AGENT_STATES) {
    const seen = new Set<AgentState>([start]);
    const queue: AgentState[] = [start];
    for (let from = queue.shift(); from !== undefined; from = queue.shift()) {
      for (const to of nextStates(from)) {
        if (!seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    assert.ok(seen.has('stopped'), start);
  }
});

test('isActive is true only while there is (or is about to be) a process', () => {
  const active = AGENT_STATES.filter(isActive);
  assert.deepEqual(active.sort(), ['running', 'starting', 'stopping']);
});

test('stateAfterExit: exit code 0 without a signal is stopped, anything else crashed', () => {
  assert.equal(stateAfterExit(0, null), 'stopped');
  assert.equal(stateAfterExit(1, null), 'crashed');
  assert.equal(stateAfterExit(137, null), 'crashed');
  assert.equal(stateAfterExit(null, 'SIGKILL'), 'crashed');
  assert.equal(stateAfterExit(null, 'SIGTERM'), 'crashed');
  assert.equal(stateAfterExit(null, null), 'crashed');
});
