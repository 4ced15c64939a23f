// Agent names as Kubernetes object names: a Service's name is a DNS label (lowercase letters,
// digits and "-", starting with a letter, at most 63 characters), stricter than an agent name.

const MAX = 63;

/** `name` as a DNS label (before making it unique). */
function label(name: string): string {
  let out = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(out)) out = `agent-${out}`.replace(/-+$/, '');
  // room for the longest suffix another object adds (`-env-file`)
  return out.slice(0, MAX - 9).replace(/-+$/, '');
}

/** A unique Kubernetes name for every agent name, in order; two agents whose names fold together get -2, -3. */
export function kubernetesNames(names: readonly string[]): Map<string, string> {
  const taken = new Set<string>();
  const out = new Map<string, string>();
  for (const name of names) {
    const base = label(name);
    let candidate = base;
    for (let n = 2; taken.has(candidate); n++) candidate = `${base.slice(0, MAX - 9 - String(n).length - 1)}-${n}`;
    taken.add(candidate);
    out.set(name, candidate);
  }
  return out;
}

/** Whether `key` can be a key of a ConfigMap or a Secret. */
export function configKeyOk(key: string): boolean {
  return key.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(key);
}
