// The agent editor's pure half: an agent definition as the form's fields and back, the JSON view's
// parsing, and the shared schema's issues placed under the fields they are about, worded as the
// API's 400 words them (formatIssues).
import { AgentDefinitionSchema, DEPENDENCY_CONDITIONS, RESTART_POLICIES, type AgentDefinition, type DependencyCondition } from '../../../shared/agent.js';
import { formatIssues } from '../../../shared/issues.js';
import { jsonSyntaxMessage, NOT_AN_OBJECT } from './json-syntax.js';

/** A definition as JSON: whatever the person typed, valid or not. */
export type JsonObject = Record<string, unknown>;
export type RestartPolicy = (typeof RESTART_POLICIES)[number];

/** One row of the environment editor. */
export interface EnvRow {
  /** Stable key for React, never sent. */
  id: number;
  name: string;
  value: string;
  /** Kept in the host's secret store (its name in secretEnv), never in agents.json. */
  secret?: boolean;
  /** Its value is in the secret store already (`value` '' keeps it; typing replaces it). */
  stored?: boolean;
}

/** One row of the dependencies editor: another agent and the condition it must meet. */
export interface DependencyRow {
  /** Stable key for React, never sent. */
  id: number;
  /** '' until an agent is chosen. */
  agent: string;
  condition: DependencyCondition;
}

/** What the form's fields hold: text as typed, converted to the definition's types on the way out. */
export interface FormValues {
  name: string;
  description: string;
  command: string;
  /** One argument per line. */
  args: string;
  cwd: string;
  env: EnvRow[];
  port: string;
  autostart: boolean;
  /** '' leaves the policy to the defaults. */
  restartPolicy: RestartPolicy | '';
  maxRestarts: string;
  healthUrl: string;
  dependsOn: DependencyRow[];
  /** A regular expression, as typed. */
  readyLine: string;
  /** Group names separated by commas or spaces. */
  groups: string;
}

/** The form's fields that a message can be shown under. */
export type FieldKey =
  | 'name'
  | 'description'
  | 'command'
  | 'args'
  | 'cwd'
  | 'env'
  | 'port'
  | 'autostart'
  | 'restartPolicy'
  | 'maxRestarts'
  | 'healthUrl'
  | 'dependsOn'
  | 'readyLine'
  | 'groups';

/** The order of the fields on the form (the first invalid one gets the focus). */
export const FIELD_ORDER: readonly FieldKey[] = ['name', 'description', 'command', 'args', 'cwd', 'env', 'port', 'autostart', 'restartPolicy', 'maxRestarts', 'healthUrl', 'dependsOn', 'readyLine', 'groups'];

/** The values of an empty form. */
export function emptyFormValues(): FormValues {
  return { name: '', description: '', command: '', args: '', cwd: '', env: [], port: '', autostart: false, restartPolicy: '', maxRestarts: '', healthUrl: '', dependsOn: [], readyLine: '', groups: '' };
}

/** One problem of a definition, and the field it is shown under (null: no field of the form; shown in a list). */
export interface DefinitionIssue {
  field: FieldKey | null;
  /** `name: "a b" has characters …`: the API's words. */
  text: string;
  /** Where in the definition: ['restart', 'policy']. */
  path: PropertyKey[];
  /** An unknown field: its name (it sits inside `path`). */
  key?: string;
}

export type Validation = { ok: true; data: AgentDefinition } | { ok: false; issues: DefinitionIssue[] };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The field an issue at `path` (relative to the definition) is shown under. */
export function fieldOfPath(path: readonly PropertyKey[]): FieldKey | null {
  const [first, second] = path;
  switch (first) {
    case 'name':
    case 'description':
    case 'command':
    case 'cwd':
    case 'port':
    case 'autostart':
      return path.length === 1 ? first : null;
    case 'secretEnv':
      return 'env';
    case 'args':
    case 'env':
    case 'dependsOn':
    case 'groups':
      return first;
    case 'readyLine':
      return path.length === 1 ? first : null;
    case 'restart':
      if (second === 'policy') return 'restartPolicy';
      if (second === 'maxRestarts') return 'maxRestarts';
      return null;
    case 'health':
      // the health object itself (its one-probe rule) and its http probe are the URL field's
      return path.length === 1 || second === 'http' ? 'healthUrl' : null;
    default:
      return null;
  }
}

/** Checks a definition with the shared schema; every issue in the API's words, placed under its field. */
export function validateDefinition(candidate: unknown): Validation {
  const result = AgentDefinitionSchema.safeParse(candidate);
  if (result.success) return { ok: true, data: result.data };
  const lines = formatIssues(result.error);
  return {
    ok: false,
    issues: result.error.issues.map((issue, i) => ({
      field: fieldOfPath(issue.path),
      text: lines[i] ?? issue.message,
      path: [...issue.path],
      ...(issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? { key: issue.keys[0] } : {}),
    })),
  };
}

/** A form's number field: blank is absent, a number is a number, anything else is sent as typed (and the schema says why not). */
function numberFromText(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return /^[+-]?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
}

function setOrDelete(target: JsonObject, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

/** Arguments from the form's text: one per line, blank lines left out. */
export function argsFromText(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line !== '');
}

/** Problems the form itself finds in the environment rows (a JSON object cannot hold them). */
export function envRowProblems(rows: readonly EnvRow[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (row.name === '' && row.value !== '') problems.push(`variable ${i + 1} has a value but no name; name it or delete the row`);
    if (row.name === '') return;
    if (row.secret && !row.stored && row.value === '') problems.push(`${row.name} is marked secret but has no value; type it (it goes to the secret store, not agents.json)`);
    if (!row.secret && row.stored && row.value === '') problems.push(`${row.name} was a secret, and its stored value cannot be shown here; type the value to keep it as a plain variable, or tick "Secret" again`);
    if (seen.has(row.name)) problems.push(`${row.name} is set in more than one row; keep one`);
    seen.add(row.name);
  });
  return problems;
}

/** Group names from the form's text: separated by commas or white space, each once. */
export function groupsFromText(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((g) => g !== ''))];
}

/** Problems the form itself finds in the dependency rows (an object cannot hold them). */
export function dependencyRowProblems(rows: readonly DependencyRow[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (row.agent === '') {
      problems.push(`dependency ${i + 1} names no agent; choose one or delete the row`);
      return;
    }
    if (seen.has(row.agent)) problems.push(`${row.agent} is listed more than once; keep one condition for it`);
    seen.add(row.agent);
  });
  return problems;
}

/**
 * The definition the form describes: `base` (the definition the form was filled from, which keeps
 * every field the form does not show) with the form's fields laid over it.
 */
export function definitionFromForm(values: FormValues, base: JsonObject): JsonObject {
  const def: JsonObject = { ...base };
  def.name = values.name;
  setOrDelete(def, 'description', values.description === '' ? undefined : values.description);
  def.command = values.command;
  const args = argsFromText(values.args);
  setOrDelete(def, 'args', args.length === 0 && !('args' in base) ? undefined : args);
  setOrDelete(def, 'cwd', values.cwd === '' ? undefined : values.cwd);
  const env: Record<string, string> = {};
  for (const row of values.env) if (!row.secret && (row.name !== '' || row.value !== '')) env[row.name] = row.value;
  setOrDelete(def, 'env', Object.keys(env).length === 0 && !('env' in base) ? undefined : env);
  // a secret row keeps only its name in the definition: its value goes to the secret store on save
  const secretEnv = values.env.filter((row) => row.secret && row.name !== '').map((row) => row.name);
  setOrDelete(def, 'secretEnv', secretEnv.length === 0 ? undefined : secretEnv);
  setOrDelete(def, 'port', numberFromText(values.port));
  setOrDelete(def, 'autostart', values.autostart ? true : base.autostart === false ? false : undefined);

  const restart: JsonObject = isObject(base.restart) ? { ...base.restart } : {};
  setOrDelete(restart, 'policy', values.restartPolicy === '' ? undefined : values.restartPolicy);
  setOrDelete(restart, 'maxRestarts', numberFromText(values.maxRestarts));
  setOrDelete(def, 'restart', Object.keys(restart).length === 0 ? undefined : restart);

  const health: JsonObject = isObject(base.health) ? { ...base.health } : {};
  const url = values.healthUrl.trim();
  setOrDelete(health, 'http', url === '' ? undefined : { ...(isObject(health.http) ? health.http : {}), url });
  setOrDelete(def, 'health', Object.keys(health).length === 0 ? undefined : health);

  const dependsOn: Record<string, DependencyCondition> = {};
  for (const row of values.dependsOn) if (row.agent !== '') dependsOn[row.agent] = row.condition;
  setOrDelete(def, 'dependsOn', Object.keys(dependsOn).length === 0 ? undefined : dependsOn);
  setOrDelete(def, 'readyLine', values.readyLine === '' ? undefined : values.readyLine);
  const groups = groupsFromText(values.groups);
  setOrDelete(def, 'groups', groups.length === 0 ? undefined : groups);
  return def;
}

export type FormFill = { ok: true; values: FormValues } | { ok: false; problems: string[] };

const isText = (v: unknown) => v === undefined || typeof v === 'string';
const isNumberLike = (v: unknown) => v === undefined || typeof v === 'number' || typeof v === 'string';

/**
 * The form's values for a definition, or why the form cannot show it without losing something
 * (a field of another type than the form edits; the JSON view can).
 */
export function formFromDefinition(def: JsonObject, nextId: () => number): FormFill {
  const problems: string[] = [];
  const cannot = (path: string, what: string) => problems.push(`${path} is not ${what}, so the form cannot show it; correct it in the JSON first`);
  for (const key of ['name', 'description', 'command', 'cwd'] as const) if (!isText(def[key])) cannot(key, 'text');
  const args = def.args;
  if (args !== undefined) {
    if (!Array.isArray(args)) cannot('args', 'a list');
    else
      args.forEach((arg: unknown, i) => {
        if (typeof arg !== 'string') cannot(`args[${i}]`, 'text');
        else if (arg === '' || /[\r\n]/.test(arg)) problems.push(`args[${i}] is empty or spans lines, which the form's one-per-line list cannot show; edit it in the JSON`);
      });
  }
  const env = def.env;
  if (env !== undefined) {
    if (!isObject(env)) cannot('env', 'an object of NAME: "value" pairs');
    else for (const [k, v] of Object.entries(env)) if (typeof v !== 'string') cannot(`env.${k}`, 'text');
  }
  const secretEnv = def.secretEnv;
  if (secretEnv !== undefined && (!Array.isArray(secretEnv) || secretEnv.some((k) => typeof k !== 'string'))) cannot('secretEnv', 'a list of variable names');
  if (!isNumberLike(def.port)) cannot('port', 'a number');
  if (def.autostart !== undefined && typeof def.autostart !== 'boolean') cannot('autostart', 'true or false');
  const restart = def.restart;
  if (restart !== undefined && !isObject(restart)) cannot('restart', 'an object');
  if (isObject(restart)) {
    const policy = restart.policy;
    if (policy !== undefined && !(RESTART_POLICIES as readonly unknown[]).includes(policy)) cannot('restart.policy', `one of ${RESTART_POLICIES.join(', ')}`);
    if (!isNumberLike(restart.maxRestarts)) cannot('restart.maxRestarts', 'a number');
  }
  const health = def.health;
  if (health !== undefined && !isObject(health)) cannot('health', 'an object');
  if (isObject(health) && health.http !== undefined) {
    if (!isObject(health.http)) cannot('health.http', 'an object');
    else if (!isText(health.http.url)) cannot('health.http.url', 'text');
  }
  const dependsOn = def.dependsOn;
  if (dependsOn !== undefined) {
    if (!isObject(dependsOn)) cannot('dependsOn', 'an object of name: "condition" pairs');
    else
      for (const [k, v] of Object.entries(dependsOn)) {
        if (!(DEPENDENCY_CONDITIONS as readonly unknown[]).includes(v)) cannot(`dependsOn.${k}`, `one of ${DEPENDENCY_CONDITIONS.join(', ')}`);
      }
  }
  if (!isText(def.readyLine)) cannot('readyLine', 'text');
  const groups = def.groups;
  if (groups !== undefined) {
    if (!Array.isArray(groups)) cannot('groups', 'a list');
    else
      groups.forEach((g: unknown, i) => {
        if (typeof g !== 'string') cannot(`groups[${i}]`, 'text');
        else if (g === '' || /[\s,]/.test(g)) problems.push(`groups[${i}] is empty or has spaces or commas, which the form's list cannot show; edit it in the JSON`);
      });
  }
  if (problems.length > 0) return { ok: false, problems };

  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const numberText = (v: unknown) => (v === undefined ? '' : String(v));
  const r = isObject(restart) ? restart : {};
  const http = isObject(health) && isObject(health.http) ? health.http : {};
  return {
    ok: true,
    values: {
      name: text(def.name),
      description: text(def.description),
      command: text(def.command),
      args: Array.isArray(args) ? args.join('\n') : '',
      cwd: text(def.cwd),
      env: [
        ...(isObject(env) ? Object.entries(env).map(([name, value]) => ({ id: nextId(), name, value: text(value) })) : []),
        ...(Array.isArray(secretEnv) ? (secretEnv as string[]).map((name) => ({ id: nextId(), name, value: '', secret: true, stored: true })) : []),
      ],
      port: numberText(def.port),
      autostart: def.autostart === true,
      restartPolicy: (r.policy as RestartPolicy | undefined) ?? '',
      maxRestarts: numberText(r.maxRestarts),
      healthUrl: text(http.url),
      dependsOn: isObject(dependsOn) ? Object.entries(dependsOn).map(([agent, condition]) => ({ id: nextId(), agent, condition: condition as DependencyCondition })) : [],
      readyLine: text(def.readyLine),
      groups: Array.isArray(groups) ? groups.join(', ') : '',
    },
  };
}

export type JsonParse = { ok: true; value: JsonObject } | { ok: false; error: string };

/** The JSON view's text as a definition object, or why it is not one (a syntax error with its line and column, in the host's words). */
export function parseDefinitionJson(text: string): JsonParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: jsonSyntaxMessage(text) ?? 'Not valid JSON' };
  }
  if (!isObject(value)) return { ok: false, error: NOT_AN_OBJECT };
  return { ok: true, value };
}

/** The JSON view's text for a definition. */
export function definitionJson(def: JsonObject): string {
  return JSON.stringify(def, null, 2);
}

/** The definition a new agent starts from when there is no template. */
export function emptyDefinition(): JsonObject {
  return { name: '', command: '' };
}
