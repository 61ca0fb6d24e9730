import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../broker/src/config/load-config.js';
import { newCacheKey } from '../../broker/test/support/cache-key.js';

// deploy/kubernetes/ against the Kubernetes API's JSON schemas (kubernetes-models ships them
// compiled, so this runs offline), then against each other: what selects, targets or mounts what.
const folder = fileURLToPath(new URL('../kubernetes/', import.meta.url));

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** The model (and its JSON-schema validator) for each kind the folder may hold. */
const models: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1 Deployment': Deployment,
  'v1 Service': Service,
  'v1 ConfigMap': ConfigMap,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2 HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

function validate(manifest: Manifest): void {
  const Model = models[`${manifest.apiVersion} ${manifest.kind}`];
  if (!Model) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest as never).validate();
}

const files = readdirSync(folder).filter(
  (file) => /\.ya?ml$/.test(file) && file !== 'kustomization.yaml',
);
const manifests = files.flatMap((file) =>
  parseAllDocuments(readFileSync(`${folder}${file}`, 'utf8')).map((document) => {
    expect(document.errors, file).toEqual([]);
    return document.toJS() as Manifest;
  }),
);
const byKind = (kind: string) => {
  const found = manifests.filter((manifest) => manifest.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as Manifest;
};

describe('deploy/kubernetes', () => {
  it.each(files)('%s is valid against the Kubernetes schemas', (file) => {
    const documents = parseAllDocuments(readFileSync(`${folder}${file}`, 'utf8'));
    for (const document of documents) validate(document.toJS() as Manifest);
  });

  it('the validator refuses what the API server would (a string replica count, a probe without a handler port)', () => {
    const deployment = structuredClone(byKind('Deployment')) as Manifest & {
      spec: {
        replicas: unknown;
        template: { spec: { containers: Array<Record<string, unknown>> } };
      };
    };
    deployment.spec.replicas = 'three';
    expect(() => validate(deployment)).toThrow(/replicas/);
    const probe = structuredClone(byKind('Deployment')) as typeof deployment;
    (probe.spec.template.spec.containers[0] as { readinessProbe: unknown }).readinessProbe = {
      httpGet: { path: '/readyz' },
    };
    expect(() => validate(probe)).toThrow(/port/);
  });

  it('kustomization.yaml lists every manifest', () => {
    const kustomization = parseAllDocuments(
      readFileSync(`${folder}kustomization.yaml`, 'utf8'),
    )[0]?.toJS() as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual([...files].sort());
  });

  it('the Deployment runs the image hardened, probed, bounded and with secrets only by reference', () => {
    type Container = {
      image: string;
      ports: Array<{ name: string; containerPort: number }>;
      env: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string } } }>;
      envFrom: Array<{ configMapRef: { name: string } }>;
      readinessProbe: { httpGet: { path: string; port: string } };
      livenessProbe: { httpGet: { path: string; port: string } };
      startupProbe: { httpGet: { path: string } };
      resources: { requests: Record<string, string>; limits: Record<string, string> };
      securityContext: Record<string, unknown> & { capabilities: { drop: string[] } };
      volumeMounts: Array<{ name: string; mountPath: string; readOnly: boolean }>;
    };
    const deployment = byKind('Deployment') as Manifest & {
      spec: {
        replicas: number;
        selector: { matchLabels: Record<string, string> };
        template: {
          metadata: { labels: Record<string, string> };
          spec: {
            securityContext: Record<string, unknown>;
            automountServiceAccountToken: boolean;
            containers: Container[];
            volumes: Array<{ name: string; secret?: { secretName: string; defaultMode: number } }>;
          };
        };
      };
    };
    const { spec } = deployment;
    expect(spec.template.metadata.labels).toMatchObject(spec.selector.matchLabels);
    expect(spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(spec.template.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000, // the image's USER (broker/Dockerfile)
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const [container] = spec.template.spec.containers;
    if (!container) throw new Error('no container');
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.startupProbe.httpGet.path).toBe('/healthz');
    expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(container.resources.limits.memory).toBeDefined();
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080 }]);
    expect(container.env).toContainEqual({ name: 'PORT', value: '8080' });

    // Secrets: each one a file from a Secret of its own (rotated apart), mounted read-only and
    // named by *_FILE — the M2M secret, the cache key that seals tokens in Redis, and the token
    // /metrics asks for; Redis's URL a secretKeyRef. No variable carries a secret's value.
    const secretFiles: Record<string, string> = {
      AUTH0_M2M_CLIENT_SECRET_FILE: 'linkboard-broker-auth0',
      BROKER_CACHE_KEY_FILE: 'linkboard-broker-cache-key',
      BROKER_METRICS_TOKEN_FILE: 'linkboard-broker-metrics',
    };
    expect(
      container.env
        .filter((v) => v.name.endsWith('_FILE'))
        .map((v) => v.name)
        .sort(),
    ).toEqual(Object.keys(secretFiles).sort());
    for (const [variable, secretName] of Object.entries(secretFiles)) {
      const file = container.env.find((v) => v.name === variable)?.value;
      const mount = container.volumeMounts.find((m) => file?.startsWith(`${m.mountPath}/`));
      expect(mount?.readOnly, variable).toBe(true);
      const volume = spec.template.spec.volumes.find((v) => v.name === mount?.name);
      expect(volume?.secret?.secretName, variable).toBe(secretName);
      expect(volume?.secret?.defaultMode, variable).toBe(0o440);
    }
    expect(container.env.find((v) => v.name === 'REDIS_URL')?.valueFrom?.secretKeyRef?.name).toBe(
      'linkboard-broker-redis',
    );
    for (const variable of container.env) {
      if (/SECRET|PASSWORD|TOKEN/.test(variable.name) && !variable.name.endsWith('_FILE')) {
        expect(variable.value, variable.name).toBeUndefined();
      }
    }
    const configMap = byKind('ConfigMap') as Manifest & { data: Record<string, string> };
    expect(container.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
    expect(Object.keys(configMap.data).filter((key) => /SECRET|PASSWORD|TOKEN/.test(key))).toEqual(
      [],
    );
  });

  it('the Service, the PodDisruptionBudget and the autoscaler select and target that Deployment', () => {
    const deployment = byKind('Deployment') as Manifest & {
      spec: { replicas: number; selector: { matchLabels: Record<string, string> } };
    };
    const labels = deployment.spec.selector.matchLabels;
    const service = byKind('Service') as Manifest & {
      spec: { selector: Record<string, string>; ports: Array<{ targetPort: string }> };
    };
    expect(service.spec.selector).toEqual(labels);
    expect(service.spec.ports.map((port) => port.targetPort)).toEqual(['http']);
    const budget = byKind('PodDisruptionBudget') as Manifest & {
      spec: { maxUnavailable: number; selector: { matchLabels: Record<string, string> } };
    };
    expect(budget.spec.selector.matchLabels).toEqual(labels);
    const autoscaler = byKind('HorizontalPodAutoscaler') as Manifest & {
      spec: {
        scaleTargetRef: { apiVersion: string; kind: string; name: string };
        minReplicas: number;
        maxReplicas: number;
      };
    };
    expect(autoscaler.spec.scaleTargetRef).toEqual({
      apiVersion: deployment.apiVersion,
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
    // The budget can always be met at the autoscaler's floor, and the floor is the fleet's size.
    expect(autoscaler.spec.minReplicas).toBe(deployment.spec.replicas);
    expect(autoscaler.spec.minReplicas - budget.spec.maxUnavailable).toBeGreaterThanOrEqual(2);
    expect(autoscaler.spec.maxReplicas).toBeGreaterThan(autoscaler.spec.minReplicas);
  });
});

describe("the runbook's Prometheus job", () => {
  it("scrapes the Deployment's pods on their http port, with the token from its Secret", () => {
    const runbook = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const block = [...runbook.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((match) => match[1] ?? '')
      .find((text) => text.includes('job_name: linkboard-broker'));
    expect(block, 'a yaml block with the linkboard-broker job').toBeDefined();
    const { scrape_configs: jobs } = parseAllDocuments(block ?? '')[0]?.toJS() as {
      scrape_configs: Array<{
        metrics_path: string;
        kubernetes_sd_configs: Array<{ role: string }>;
        relabel_configs: Array<{ source_labels: string[]; regex: string; action: string }>;
        authorization: { type: string; credentials_file: string };
      }>;
    };
    const [job] = jobs;
    if (!job) throw new Error('no job');
    const deployment = byKind('Deployment') as Manifest & {
      spec: {
        selector: { matchLabels: Record<string, string> };
        template: {
          metadata: { annotations?: Record<string, string> };
          spec: {
            containers: Array<{
              ports: Array<{ name: string }>;
              env: Array<{ name: string; value?: string }>;
              volumeMounts: Array<{ name: string; mountPath: string }>;
            }>;
            volumes: Array<{
              name: string;
              secret?: { secretName: string; items: Array<{ key: string; path: string }> };
            }>;
          };
        };
      };
    };
    const { template } = deployment.spec;
    const [container] = template.spec.containers;
    if (!container) throw new Error('no container');
    expect(job.metrics_path).toBe('/metrics');
    expect(job.kubernetes_sd_configs).toEqual([{ role: 'pod' }]);
    // Kept: the broker's pods (the Deployment's own label), on the port its container names.
    const kept = (label: string) =>
      job.relabel_configs.find(
        (rule) => rule.action === 'keep' && rule.source_labels.join() === label,
      )?.regex;
    expect(kept('__meta_kubernetes_pod_label_app_kubernetes_io_name')).toBe(
      deployment.spec.selector.matchLabels['app.kubernetes.io/name'],
    );
    expect(container.ports.map((port) => port.name)).toContain(
      kept('__meta_kubernetes_pod_container_port_name'),
    );
    // The token file Prometheus reads is the key of the Secret the broker reads its token from.
    const tokenFile = container.env.find((v) => v.name === 'BROKER_METRICS_TOKEN_FILE')?.value;
    const mount = container.volumeMounts.find((m) => tokenFile?.startsWith(`${m.mountPath}/`));
    const secret = template.spec.volumes.find((v) => v.name === mount?.name)?.secret;
    const item = secret?.items.find((entry) => tokenFile === `${mount?.mountPath}/${entry.path}`);
    expect(job.authorization).toEqual({
      type: 'Bearer',
      credentials_file: `/etc/prometheus/secrets/${secret?.secretName}/${item?.key}`,
    });
    // No annotation invites a generic job, which would scrape without the token.
    expect(Object.keys(template.metadata.annotations ?? {})).not.toContain('prometheus.io/scrape');
  });
});

describe('deploy/kubernetes settings', () => {
  it("are settings the broker's own configuration loader accepts, with secrets from files", () => {
    type Container = {
      env: Array<{ name: string; value?: string; valueFrom?: unknown }>;
    };
    const deployment = byKind('Deployment') as Manifest & {
      spec: { template: { spec: { containers: Container[] } } };
    };
    const [container] = deployment.spec.template.spec.containers;
    const configMap = byKind('ConfigMap') as Manifest & { data: Record<string, string> };
    // The mounted Secrets, as files the way Kubernetes projects them (placeholder values).
    const secrets = mkdtempSync(join(tmpdir(), 'linkboard-k8s-'));
    const files: Record<string, string> = {
      AUTH0_M2M_CLIENT_SECRET_FILE: 'placeholder-m2m-secret',
      BROKER_CACHE_KEY_FILE: newCacheKey(),
      BROKER_METRICS_TOKEN_FILE: 'placeholder-metrics-token',
    };
    const env: Record<string, string> = { ...configMap.data };
    for (const variable of container?.env ?? []) {
      if (variable.value === undefined) continue;
      const content = files[variable.name];
      if (content === undefined) {
        env[variable.name] = variable.value;
        continue;
      }
      const path = join(secrets, variable.name);
      writeFileSync(path, content);
      env[variable.name] = path;
    }
    // REDIS_URL is a secretKeyRef: the cluster's Redis Service.
    env.REDIS_URL = 'redis://linkboard-redis:6379';

    // Every file the Deployment names was written above: none of them is left unread.
    expect(
      (container?.env ?? [])
        .filter((v) => v.name.endsWith('_FILE'))
        .map((v) => v.name)
        .sort(),
    ).toEqual(Object.keys(files).sort());

    const config = loadConfig(env);
    expect(config.publicUrl).toBe(configMap.data.BROKER_PUBLIC_URL);
    expect(config.redisUrl).toBe(env.REDIS_URL);
    expect(config.port).toBe(8080);
    expect(config.cacheKeys).toHaveLength(1);
    // /metrics is protected, with the token from its file.
    expect(config.metricsToken).toBe(files.BROKER_METRICS_TOKEN_FILE);
  });
});
