// The agents as Kubernetes manifests in one multi-document kubernetes.yaml: per agent a ConfigMap
// for its environment, a Deployment (one replica, recreated rather than rolled, since an agent runs
// once) with its image, command, probes, memory limit and stop hook, and a Service for its port.
// Secret variables and env files become references to Secrets the person creates.
import { stringify } from 'yaml';
import { loseAgentTrayOnly, loseLimits, loseRestartBudget } from './common-lost.js';
import { dependenciesOf, durationText, wholeSeconds, type EffectiveAgent } from './effective.js';
import { configKeyOk, kubernetesNames } from './kubernetes-names.js';
import { kubernetesProbes } from './kubernetes-probes.js';
import { shellWord } from './quoting.js';
import { ExportReport, type ExportInput, type ExportResult } from './types.js';

export const KUBERNETES_FILE = 'kubernetes.yaml';

/** The image the person gave for an agent: --image NAME=IMAGE, its `image` field, --image IMAGE; null when none. */
function imageOf(a: EffectiveAgent, images: ExportInput['images']): string | null {
  return images[a.def.name] ?? a.image ?? images['*'] ?? null;
}

/** The placeholder image of an agent without one: it fails to pull, loudly, until replaced. */
export function placeholderImage(k8sName: string): string {
  return `REPLACE-ME/image-for-${k8sName}`;
}

/** "512Mi", or bytes where the MB are not whole. */
function memoryQuantity(mb: number): string {
  return Number.isInteger(mb) ? `${mb}Mi` : String(Math.round(mb * 1024 * 1024));
}

type Doc = Record<string, unknown>;

/** Text in a container's command, args or env value, where Kubernetes expands $(VAR): every "$" doubled reads back as itself. */
export function noExpansion(text: string): string {
  return text.replace(/\$/g, '$$$$');
}

/** The container's env (secrets, names a ConfigMap cannot key) and envFrom (env files, the ConfigMap). */
function environment(a: EffectiveAgent, n: string, report: ExportReport): { configMap: Doc | null; env: Doc[]; envFrom: Doc[] } {
  const { def } = a;
  const data: Record<string, string> = {};
  const env: Doc[] = [];
  for (const [key, value] of Object.entries(def.env)) {
    if (a.secretNames.includes(key)) continue;
    if (configKeyOk(key)) data[key] = value;
    else env.push({ name: key, value: noExpansion(value) });
  }
  for (const secret of a.secretNames) {
    if (configKeyOk(secret)) env.push({ name: secret, valueFrom: { secretKeyRef: { name: `${n}-secrets`, key: secret } } });
    else report.lose(def.name, `secretEnv.${secret}`, 'a Secret key takes only letters, digits, "-", "_" and "."');
  }
  const envFrom: Doc[] = [];
  // later sources win: the env files first, then the agent's own env over them (as in Agent Tray)
  if (a.envFiles.length > 0) envFrom.push({ secretRef: { name: `${n}-env-file` } });
  const configMap = Object.keys(data).length > 0 ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${n}-env`, labels: labels(n) }, data } : null;
  if (configMap) envFrom.push({ configMapRef: { name: `${n}-env` } });
  return { configMap, env, envFrom };
}

/** The labels of every object of one agent. */
function labels(n: string): Record<string, string> {
  return { 'app.kubernetes.io/name': n, 'app.kubernetes.io/part-of': 'agent-tray' };
}

/** The container of an agent. */
function container(a: EffectiveAgent, n: string, image: string, env: Doc[], envFrom: Doc[], report: ExportReport): Doc {
  const { def } = a;
  const c: Doc = { name: n, image, command: [noExpansion(def.command)] };
  if (def.args.length > 0) c.args = def.args.map(noExpansion);
  if (def.cwd !== undefined) c.workingDir = a.cwd;
  if (env.length > 0) c.env = env;
  if (envFrom.length > 0) c.envFrom = envFrom;
  if (def.port !== undefined) c.ports = [{ name: 'agent', containerPort: def.port, protocol: 'TCP' }];
  Object.assign(c, kubernetesProbes(a, report));
  if (a.limits.maxMemoryMB !== undefined) c.resources = { limits: { memory: memoryQuantity(a.limits.maxMemoryMB) } };
  if (def.stop?.command) c.lifecycle = { preStop: { exec: { command: [...def.stop.command] } } };
  return c;
}

/** The Deployment of an agent. */
function deployment(a: EffectiveAgent, n: string, c: Doc, report: ExportReport): Doc {
  const { def } = a;
  const annotations: Record<string, string> = { 'agent-tray/agent': def.name };
  if (def.groups?.length) annotations['agent-tray/groups'] = def.groups.join(',');
  if (def.description) annotations['agent-tray/description'] = def.description;
  const grace = wholeSeconds(a.stopGraceMs, 0);
  if (grace.rounded) report.lose(def.name, 'stop.timeoutMs', `Kubernetes counts whole seconds: a stop may take ${durationText(a.stopGraceMs)}, written as ${grace.seconds} s`);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: n, labels: labels(n), annotations },
    spec: {
      replicas: a.startsWithStack ? 1 : 0,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: { 'app.kubernetes.io/name': n } },
      template: {
        metadata: { labels: labels(n) },
        spec: { terminationGracePeriodSeconds: grace.seconds, containers: [c] },
      },
    },
  };
}

/** The Service of an agent with a port. */
function service(n: string, port: number): Doc {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: n, labels: labels(n) },
    spec: { selector: { 'app.kubernetes.io/name': n }, ports: [{ name: 'agent', port, targetPort: 'agent', protocol: 'TCP' }] },
  };
}

/** Reports what Kubernetes cannot express of one agent. */
function loseOthers(a: EffectiveAgent, report: ExportReport): void {
  const { def } = a;
  const name = def.name;
  loseAgentTrayOnly(a, report, 'Kubernetes');
  loseLimits(a, report, { target: 'Kubernetes', caps: ['maxMemoryMB'], afterCap: 'restarts the container (OOMKilled)' });
  for (const [dep, condition] of dependenciesOf(a)) {
    report.lose(name, `dependsOn.${dep}`, `Kubernetes starts every Deployment at once and cannot wait for "${dep}" to be ${condition}; add an init container that waits for it`);
  }
  if (def.readyLine) report.lose(name, 'readyLine', 'Kubernetes does not read the output for a ready line; give the agent a health check (a readiness probe) instead');
  if (a.restart.policy === 'no') report.lose(name, 'restart.policy', 'a Deployment always restarts its container; for an agent that runs once, use a Job instead');
  else if (a.restart.policy === 'on-failure' && a.restartSet.has('policy')) report.lose(name, 'restart.policy', 'a Deployment restarts its container after a clean exit (code 0) too');
  const ownBackoff = 'Kubernetes has its own wait between restarts (from 10 s, doubling, up to 5 minutes)';
  loseRestartBudget(a, report, 'Kubernetes', [], {
    maxRestarts: `Kubernetes never gives up restarting a Deployment's container (Agent Tray gives up after ${a.restart.maxRestarts})`,
    'backoff.initialMs': ownBackoff,
    'backoff.factor': ownBackoff,
    'backoff.maxMs': ownBackoff,
  });
  const signal = def.stop?.signal ?? 'SIGTERM';
  if (signal !== 'SIGTERM') report.lose(name, 'stop.signal', `Kubernetes stops a container with SIGTERM, not ${signal}`);
  if (def.priority && def.priority !== 'normal') report.lose(name, 'priority', `Kubernetes has no ${def.priority} scheduling priority for a process (a PriorityClass ranks pods for eviction instead)`);
}

/** The agents as one multi-document kubernetes.yaml. */
export function toKubernetes(agents: readonly EffectiveAgent[], input: ExportInput): ExportResult {
  const report = new ExportReport();
  const names = kubernetesNames(agents.map((a) => a.def.name));
  const docs: Doc[] = [];
  for (const a of agents) {
    const n = names.get(a.def.name) as string;
    if (n !== a.def.name) report.note(`"${a.def.name}" is named ${n} in Kubernetes (lowercase letters, digits and "-" only).`);
    let image = imageOf(a, input.images);
    if (image === null) {
      image = placeholderImage(n);
      report.lose(a.def.name, 'image', `a command alone is not a container: no image was given, so the Deployment has the placeholder ${image}; export again with --image ${a.def.name}=IMAGE`);
    }
    const { configMap, env, envFrom } = environment(a, n, report);
    if (configMap) docs.push(configMap);
    docs.push(deployment(a, n, container(a, n, image, env, envFrom, report), report));
    if (a.def.port !== undefined) docs.push(service(n, a.def.port));
    if (a.secretNames.length > 0) report.note(`Create the Secret of ${n} first: kubectl create secret generic ${n}-secrets ${a.secretNames.map((s) => `--from-literal=${s}=…`).join(' ')}`);
    if (a.envFiles.length > 0) report.note(`Create the Secret of ${n}'s env files first: kubectl create secret generic ${n}-env-file ${a.envFiles.map((f) => `--from-env-file=${shellWord(f)}`).join(' ')}`);
    loseOthers(a, report);
  }
  const header = '# Written by `agent-tray export --to kubernetes` from the agents of Agent Tray.\n';
  const content = header + docs.map((d) => `---\n${stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })}`).join('');
  report.note('Apply it with `kubectl apply -f kubernetes.yaml` (add `-n NAMESPACE` for a namespace of its own).');
  const stopped = agents.filter((a) => !a.startsWithStack).map((a) => names.get(a.def.name) as string);
  if (stopped.length > 0) report.note(`Not running after apply (not autostart in Agent Tray, so replicas: 0): ${stopped.join(', ')}. Start one with \`kubectl scale deployment/NAME --replicas=1\`.`);
  if (agents.some((a) => a.def.port !== undefined || a.health?.probe.kind === 'http' || a.health?.probe.kind === 'tcp')) {
    report.note('In a pod an agent must listen on all addresses (0.0.0.0), not only 127.0.0.1, for its Service and its probes to reach it.');
  }
  report.note('The command, its arguments and the working directory are this machine\'s paths; the image must have them.');
  if (agents.some((a) => a.envFiles.length > 0)) report.note('kubectl reads --from-env-file without dotenv\'s quoting: quotes around a value stay part of it.');
  return report.result('kubernetes', [{ path: KUBERNETES_FILE, content }]);
}
