// The editor's pure half: definitions to form values and back, issues placed under their fields.
import { describe, expect, it } from 'vitest';
import {
  definitionFromForm,
  envRowProblems,
  fieldOfPath,
  formFromDefinition,
  parseDefinitionJson,
  validateDefinition,
  type FormValues,
} from '../../../../renderer/components/editor/definition-form.js';

const counter = () => {
  let n = 0;
  return () => ++n;
};

function valuesOf(def: Record<string, unknown>): FormValues {
  const fill = formFromDefinition(def, counter());
  if (!fill.ok) throw new Error(fill.problems.join('; '));
  return fill.values;
}

describe('definition form', () => {
  it('gives back the same definition when nothing was changed, keeping the fields the form does not show', () => {
    const def = {
      name: 'alpha',
      description: 'd',
      command: 'node',
      args: ['a.js', '--x'],
      cwd: 'work',
      env: { A: '1' },
      port: 80,
      autostart: false,
      priority: 'high',
      restart: { policy: 'no', windowMs: 5000, backoff: { factor: 3 } },
      health: { http: { url: 'http://127.0.0.1/' }, intervalMs: 500 },
      limits: { maxMemoryMB: 10 },
    };
    expect(definitionFromForm(valuesOf(def), def)).toEqual(def);
  });

  it('leaves out what the form leaves blank', () => {
    const base = { name: 'a', command: 'b', restart: { maxRestarts: 2 }, health: { http: { url: 'http://x/' } } };
    const values = { ...valuesOf(base), maxRestarts: '', healthUrl: '' };
    expect(definitionFromForm(values, base)).toEqual({ name: 'a', command: 'b' });
  });

  it('sends a number field that is no number as typed, so the schema says what is wrong', () => {
    const values = { ...valuesOf({ name: 'a', command: 'b' }), port: 'eighty' };
    const def = definitionFromForm(values, {});
    expect(def.port).toBe('eighty');
    const check = validateDefinition(def);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.issues).toEqual([{ field: 'port', text: 'port: Invalid input: expected number, received string', path: ['port'] }]);
  });

  it('refuses to show in the form what it would lose', () => {
    const fill = formFromDefinition({ name: 'a', command: 'b', args: ['two\nlines', 3], env: [] }, counter());
    expect(fill.ok).toBe(false);
    if (!fill.ok) expect(fill.problems).toHaveLength(3);
  });

  it('places issues under their fields', () => {
    expect(fieldOfPath(['name'])).toBe('name');
    expect(fieldOfPath(['args', 2])).toBe('args');
    expect(fieldOfPath(['env', 'A'])).toBe('env');
    expect(fieldOfPath(['restart', 'policy'])).toBe('restartPolicy');
    expect(fieldOfPath(['restart', 'maxRestarts'])).toBe('maxRestarts');
    expect(fieldOfPath(['restart', 'windowMs'])).toBeNull();
    expect(fieldOfPath(['health'])).toBe('healthUrl');
    expect(fieldOfPath(['health', 'http', 'url'])).toBe('healthUrl');
    expect(fieldOfPath(['health', 'intervalMs'])).toBeNull();
    expect(fieldOfPath([])).toBeNull();
    const check = validateDefinition({ name: 'a', command: 'b', colour: 'red' });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.issues[0]?.field).toBeNull();
  });

  it('finds rows without a name and names set twice', () => {
    expect(
      envRowProblems([
        { id: 1, name: '', value: 'x' },
        { id: 2, name: 'A', value: '1' },
        { id: 3, name: 'A', value: '2' },
        { id: 4, name: '', value: '' },
      ]),
    ).toEqual(['variable 1 has a value but no name; name it or delete the row', 'A is set in more than one row; keep one']);
  });

  it('parses only a JSON object', () => {
    expect(parseDefinitionJson('{"name":"a"}')).toEqual({ ok: true, value: { name: 'a' } });
    expect(parseDefinitionJson('[1]').ok).toBe(false);
    const bad = parseDefinitionJson('{');
    // where and what, in the words the host uses for its own JSON files
    expect(bad.ok ? '' : bad.error).toBe("Not valid JSON at line 1, column 2: the text ends inside the object opened at line 1, column 1: a '}' is missing");
  });
});
