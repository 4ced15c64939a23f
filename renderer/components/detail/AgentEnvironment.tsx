// The Environment part of an agent's overview: each variable of its own with where it comes from
// (its definition, an env file, the secret store), as its next start will read them (GET
// /api/agents/:name/env), and what would stop that start (a missing env file, a secret without a
// value). Secrets from the store show as ••••••; values of secret-looking names are masked too.
// A host without that command: the definition's env, as before.
import { useEffect, useMemo, useState } from 'react';
import type { AgentDefinitionInput } from '../../../shared/agent.js';
import { SECRET_MASK, type AgentEnv, type EnvSource } from '../../../shared/env.js';
import { isSecretName, MASK, maskEnv } from '../../store/format.js';
import { useTrayActions } from '../../store/react.js';

interface Row {
  key: string;
  value: string;
  masked: boolean;
  source: EnvSource;
  file?: string;
  /** "overrides .env, definition". */
  overrides: string | null;
}

/** A file's name without its folder (its full path goes in the title). */
function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** Where a variable comes from, in a word or two. */
export function sourceText(source: EnvSource, file?: string): string {
  if (source === 'envFile') return file ? baseName(file) : 'env file';
  return source === 'secret' ? 'secret' : 'definition';
}

/** The rows of the table from the host's answer. */
function rowsOf(env: AgentEnv): Row[] {
  return env.variables.map((v) => {
    const secret = v.source === 'secret';
    const masked = secret || (isSecretName(v.key) && v.value !== '');
    const overrides = v.overrides?.length ? `overrides ${v.overrides.map((o) => sourceText(o.source, o.file)).join(', ')}` : null;
    return { key: v.key, value: secret ? SECRET_MASK : masked ? MASK : v.value, masked, source: v.source, ...(v.file ? { file: v.file } : {}), overrides };
  });
}

/** The rows from the definition alone (a host that cannot say more): its env, then its secrets' names. */
function definitionRows(definition: AgentDefinitionInput): Row[] {
  const own = maskEnv(definition.env).map((e) => ({ key: e.name, value: e.value, masked: e.secret, source: 'definition' as const, overrides: null }));
  const secrets = (definition.secretEnv ?? []).map((key) => ({ key, value: SECRET_MASK, masked: true, source: 'secret' as const, overrides: null }));
  return [...own, ...secrets];
}

export interface AgentEnvironmentProps {
  name: string;
  definition: AgentDefinitionInput;
  /** Changes when the variables may have changed (the editor closed, the agent started). */
  refreshKey: string;
}

/** The agent's variables, each with its source. */
export function AgentEnvironment({ name, definition, refreshKey }: AgentEnvironmentProps) {
  const actions = useTrayActions();
  const [env, setEnv] = useState<AgentEnv | null>(null);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    let current = true;
    void actions.loadAgentEnv(name).then((outcome) => {
      if (!current) return;
      setEnv(outcome.ok ? outcome.result : null);
      setLoaded(true);
    });
    return () => {
      current = false;
    };
  }, [actions, name, refreshKey]);

  const rows = useMemo(() => (env ? rowsOf(env) : definitionRows(definition)), [env, definition]);
  const problems = env?.errors ?? [];
  if (!loaded && rows.length === 0) return <span className="muted">Loading…</span>;
  return (
    <>
      {rows.length === 0 ? (
        <span className="muted">No variables of its own.</span>
      ) : (
        <div className="detail-table-scroll">
          <table className="detail-env">
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} className={r.masked ? 'detail-env__secret' : undefined}>
                  <th scope="row">
                    <code>{r.key}</code>
                  </th>
                  <td>
                    <code title={r.source === 'secret' ? 'Kept in the secret store; the agent gets it at its start' : r.masked ? 'Hidden: the name says it is a secret' : undefined}>{r.value}</code>
                  </td>
                  <td className={`detail-env__source detail-env__source--${r.source}`} title={r.file}>
                    {sourceText(r.source, r.file)}
                    {r.overrides && <span className="muted"> ({r.overrides})</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {problems.length > 0 && (
        <ul className="inline-error detail-env__problems" aria-label="What stops its next start">
          {problems.map((p) => (
            <li key={p.message}>{p.message}</li>
          ))}
        </ul>
      )}
    </>
  );
}
