// Export to Kubernetes manifests: every document validated against the Kubernetes API schema (the
// kubernetes-models package; kubectl needs a cluster to validate), with the names, image, env,
// secrets, probes, limits and stop hook the definitions call for, and what is lost listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { fileOf, lostOf, runExport, TRICKY_WORDS } from '../../../helpers/export-tools.js';
import type { AgentDefinitionInput } from '../../../../shared/agent.js';
import type { ExportRequest } from '../../../../electron/app/export/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are read as the YAML says
type Doc = any;

/** The documents of kubernetes.yaml, each validated by the model of its kind. */
function manifests(agents: AgentDefinitionInput[], request: Partial<ExportRequest> = {}) {
  const result = runExport({ to: 'kubernetes', ...request }, agents);
  const docs: Doc[] = parseAllDocuments(fileOf(result, 'kubernetes.yaml')).map((d) => {
    assert.deepEqual(d.errors, []);
    return d.toJS();
  });
  for (const doc of docs) {
    const Model = { Deployment, ConfigMap, Service }[doc.kind as 'Deployment' | 'ConfigMap' | 'Service'];
    assert.ok(Model, `a known kind: ${doc.kind}`);
    new Model(doc).validate(); // throws, naming the field, when the API would refuse it
    assert.match(doc.metadata.name, /^[a-z]([-a-z0-9]*[a-z0-9])?$/, 'a DNS label');
    assert.ok(doc.metadata.name.length <= 63);
  }
  const find = (kind: string, name: string): Doc => docs.find((d) => d.kind === kind && d.metadata.name === name);
  return { result, docs, find, container: (name: string): Doc => find('Deployment', name)?.spec.template.spec.containers[0] };
}

test('a Deployment per agent with its image, command and arguments (Kubernetes\' $(VAR) expansion escaped)', () => {
  const { container, find, result } = manifests([{ name: 'web', command: 'python3', args: ['-m', 'app', ...TRICKY_WORDS], autostart: true }], { image: ['web=ghcr.io/me/web:1.2'] });
  const c = container('web');
  assert.equal(c.image, 'ghcr.io/me/web:1.2');
  assert.deepEqual(c.command, ['python3']);
  // the kubelet turns "$$" into "$" and $(VAR) into a variable's value: every "$" is doubled
  assert.deepEqual(
    c.args.map((a: string) => a.replaceAll('$$', '$')),
    ['-m', 'app', ...TRICKY_WORDS],
  );
  assert.ok(c.args.includes('$$(id)'));
  const d = find('Deployment', 'web');
  assert.equal(d.spec.replicas, 1);
  assert.equal(d.spec.strategy.type, 'Recreate', 'an agent runs once: never two side by side');
  assert.deepEqual(d.spec.selector.matchLabels, { 'app.kubernetes.io/name': 'web' });
  assert.equal(d.spec.template.metadata.labels['app.kubernetes.io/name'], 'web', 'the pods carry the label the Deployment selects');
  assert.equal(lostOf(result, 'web').has('image'), false);
});

test('without an image: a placeholder that cannot be pulled, listed as lost; --image IMAGE is the default for all', () => {
  const none = manifests([{ name: 'a', command: 'node' }]);
  assert.equal(none.container('a').image, 'REPLACE-ME/image-for-a');
  assert.match(lostOf(none.result, 'a').get('image') ?? '', /no image was given.*--image a=IMAGE/);
  const all = manifests([{ name: 'a', command: 'node' }, { name: 'b', command: 'node' }], { image: ['base:1', 'b=special:2'] });
  assert.equal(all.container('a').image, 'base:1');
  assert.equal(all.container('b').image, 'special:2');
  assert.deepEqual(all.result.lost.filter((l) => l.field === 'image'), []);
});

test('names Kubernetes refuses are made DNS labels, each unique, and noted', () => {
  const { docs, result } = manifests([
    { name: 'My_Agent', command: 'node' },
    { name: 'my.agent', command: 'node' },
    { name: '9lives', command: 'node' },
  ]);
  assert.deepEqual(
    docs.filter((d) => d.kind === 'Deployment').map((d) => [d.metadata.annotations['agent-tray/agent'], d.metadata.name]),
    [
      ['My_Agent', 'my-agent'],
      ['my.agent', 'my-agent-2'],
      ['9lives', 'agent-9lives'],
    ],
  );
  assert.ok(result.notes.some((n) => n.includes('"My_Agent" is named my-agent')));
});

test('env in a ConfigMap (env files under it, secrets by reference), a Service for the port', () => {
  const { find, container, result } = manifests([
    { name: 'api', command: 'node', port: 8080, env: { MODE: 'prod', 'odd name': 'x $(HOME)' }, envFile: ['/srv/api/.env'], secretEnv: ['OPENAI_API_KEY'] },
  ]);
  assert.deepEqual(find('ConfigMap', 'api-env').data, { MODE: 'prod' });
  const c = container('api');
  assert.deepEqual(c.env, [
    { name: 'odd name', value: 'x $$(HOME)' },
    { name: 'OPENAI_API_KEY', valueFrom: { secretKeyRef: { name: 'api-secrets', key: 'OPENAI_API_KEY' } } },
  ]);
  // later sources win: the agent's own env over its env files, as in Agent Tray
  assert.deepEqual(c.envFrom, [{ secretRef: { name: 'api-env-file' } }, { configMapRef: { name: 'api-env' } }]);
  assert.deepEqual(c.ports, [{ name: 'agent', containerPort: 8080, protocol: 'TCP' }]);
  const svc = find('Service', 'api');
  assert.deepEqual(svc.spec.ports, [{ name: 'agent', port: 8080, targetPort: 'agent', protocol: 'TCP' }]);
  assert.deepEqual(svc.spec.selector, { 'app.kubernetes.io/name': 'api' });
  assert.ok(result.notes.some((n) => n === 'Create the Secret of api first: kubectl create secret generic api-secrets --from-literal=OPENAI_API_KEY=…'), result.notes.join('\n'));
  assert.ok(result.notes.some((n) => n.includes('kubectl create secret generic api-env-file --from-env-file=/srv/api/.env')));
  assert.equal(JSON.stringify(find('ConfigMap', 'api-env')).includes('OPENAI'), false);
});

test('probes from the health check: httpGet from the URL, tcpSocket, exec; liveness only with restartOnFailure', () => {
  const { container, result } = manifests([
    { name: 'h', command: 'node', health: { http: { url: 'http://127.0.0.1:8080/healthz?full=1' }, intervalMs: 5000, timeoutMs: 1500, startPeriodMs: 20_000, failureThreshold: 4, successThreshold: 2, restartOnFailure: true } },
    { name: 't', command: 'node', health: { tcp: { port: 6379 } } },
    { name: 'e', command: 'node', health: { command: ['redis-cli', 'ping'] } },
    { name: 'remote', command: 'node', health: { http: { url: 'https://db.internal/health' } } },
  ]);
  const h = container('h');
  assert.deepEqual(h.readinessProbe, { httpGet: { path: '/healthz?full=1', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 20, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 4, successThreshold: 2 });
  assert.deepEqual(h.livenessProbe, { ...h.readinessProbe, successThreshold: 1 });
  const lostH = lostOf(result, 'h');
  assert.match(lostH.get('health.timeoutMs') ?? '', /1500 ms became 2 s/);
  assert.match(lostH.get('health.successThreshold') ?? '', /liveness probe counts one success/);
  assert.deepEqual(container('t').readinessProbe.tcpSocket, { port: 6379 });
  assert.equal(container('t').livenessProbe, undefined);
  assert.deepEqual(container('e').readinessProbe.exec, { command: ['redis-cli', 'ping'] });
  assert.deepEqual(container('remote').readinessProbe.httpGet, { path: '/health', port: 443, scheme: 'HTTPS', host: 'db.internal' });
});

test('memory limit, stop hook and grace period; replicas 0 for an agent that does not start with the stack', () => {
  const { container, find, result } = manifests([
    { name: 'm', command: 'ollama', args: ['serve'], limits: { maxMemoryMB: 8192, action: 'restart' }, stop: { command: ['ollama', 'stop'], timeoutMs: 20_000, insistMs: 10_000 }, autostart: true },
    { name: 'idle', command: 'node', limits: { maxMemoryMB: 100 } },
  ]);
  const c = container('m');
  assert.deepEqual(c.resources, { limits: { memory: '8192Mi' } });
  assert.deepEqual(c.lifecycle, { preStop: { exec: { command: ['ollama', 'stop'] } } });
  assert.equal(find('Deployment', 'm').spec.template.spec.terminationGracePeriodSeconds, 30);
  assert.equal(find('Deployment', 'm').spec.replicas, 1);
  assert.equal(find('Deployment', 'idle').spec.replicas, 0);
  assert.equal(lostOf(result, 'm').has('limits.action'), false);
  assert.match(lostOf(result, 'idle').get('limits.action') ?? '', /would only warn at maxMemoryMB; Kubernetes ends the process there/);
  assert.ok(result.notes.some((n) => n.includes('replicas: 0') && n.includes('idle')));
});

test('what a Deployment cannot express is listed: one-shot policy, dependencies, readyLine, stop signal, restart budget, priority', () => {
  const { result } = manifests([
    { name: 'setup', command: 'node', restart: { policy: 'no' } },
    {
      name: 'app',
      command: 'node',
      dependsOn: { setup: 'completed' },
      readyLine: 'ready',
      stop: { signal: 'SIGINT', stdin: 'quit' },
      restart: { policy: 'on-failure', maxRestarts: 2, backoff: { factor: 3 } },
      priority: 'high',
      limits: { maxCpuPercent: 100, maxRuntimeMs: 60_000 },
      discover: { script: 'app' },
    },
  ]);
  assert.match(lostOf(result, 'setup').get('restart.policy') ?? '', /always restarts its container; for an agent that runs once, use a Job/);
  const app = lostOf(result, 'app');
  assert.match(app.get('dependsOn.setup') ?? '', /starts every Deployment at once and cannot wait for "setup" to be completed/);
  assert.match(app.get('restart.policy') ?? '', /after a clean exit/);
  assert.match(app.get('restart.maxRestarts') ?? '', /never gives up/);
  assert.match(app.get('restart.backoff.factor') ?? '', /its own wait between restarts/);
  for (const field of ['readyLine', 'stop.signal', 'stop.stdin', 'priority', 'limits.maxCpuPercent', 'limits.maxRuntimeMs', 'discover']) assert.ok(app.has(field), field);
});
