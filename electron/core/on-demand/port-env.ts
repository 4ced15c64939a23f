// The internal port given to an on-demand agent at its start: PORT set, and ${PORT} replaced in its args and env.

/** Replaces every `${PORT}` in `text` with `port`. */
export function substitutePort(text: string, port: number): string {
  return text.split('${PORT}').join(String(port));
}

/** The args and own variables of a start; with a port (on-demand), PORT is set and `${PORT}` replaced; without, unchanged. */
export function withInternalPort(args: readonly string[], env: Record<string, string>, port: number | undefined): { args: readonly string[]; env: Record<string, string> } {
  if (port === undefined) return { args, env };
  const replaced = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, substitutePort(v, port)]));
  return { args: args.map((a) => substitutePort(a, port)), env: { ...replaced, PORT: String(port) } };
}
