import Ajv2020Module from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningDemo, serveDemo } from "../../src/demo/app.js";
import { START_EXAMPLES } from "../../src/http/routes/examples.js";
import { planOf, StartBody } from "../../src/http/routes/run-schemas.js";
import { type ApiHarness, apiHarness } from "../support/api.js";
import { browsersAvailable } from "../support/browsers.js";

// The CommonJS module's default export, as Node's ESM loader hands it over.
const Ajv2020 = Ajv2020Module.default;

type Operation = {
  parameters: { name: string; in: string; description?: string }[];
  requestBody?: {
    content: { "application/json": { schema: object; examples?: Record<string, { value: unknown }> } };
  };
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
};

const operations = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );

describe.runIf(browsersAvailable)("the OpenAPI document", () => {
  let api: ApiHarness;
  let demo: RunningDemo;
  let doc: Doc;
  let runId: string;
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  const get = (url: string) => api.app.inject({ method: "GET", url });

  /** Checks an answer against the schema the document gives for that route and status. */
  function expectDocumented(path: string, method: string, status: number, body: unknown) {
    let schema = doc.paths[path]?.[method]?.responses[String(status)]?.content?.["application/json"]?.schema;
    expect(schema, `${method} ${path} ${status} has a schema`).toBeDefined();
    const ref = (schema as { $ref?: string }).$ref?.replace("#/components/schemas/", "");
    if (ref) schema = doc.components.schemas[ref];
    const validate = ajv.compile(schema!);
    expect(validate(body), `${method} ${path}: ${JSON.stringify(validate.errors)}`).toBe(true);
  }

  beforeAll(async () => {
    api = await apiHarness("open");
    demo = await serveDemo(1);
    doc = (await get("/openapi.json")).json();
    const started = await api.app.inject({
      method: "POST",
      url: "/api/runs",
      payload: { requirements: "Open /login\nExpect to see Sign in to Listly", url: demo.url, wait: true },
    });
    expect(started.statusCode, started.body).toBe(200);
    runId = started.json().run_id;
    expectDocumented("/api/runs", "post", 200, started.json());
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await demo?.close();
  });

  it("describes every parameter of every route", () => {
    const bare = operations(doc).flatMap(({ path, method, op }) =>
      op.parameters.filter((p) => !p.description).map((p) => `${method} ${path} ${p.in} ${p.name}`),
    );
    expect(bare).toEqual([]);
  });

  it("describes every field of every request body, so a missing one can say what to pass", () => {
    const bare = operations(doc).flatMap(({ path, method, op }) => {
      const schema = op.requestBody?.content["application/json"].schema as
        | { properties?: Record<string, { description?: string }> }
        | undefined;
      return Object.entries(schema?.properties ?? {})
        .filter(([, property]) => !property.description)
        .map(([name]) => `${method} ${path} body ${name}`);
    });
    expect(bare).toEqual([]);
  });

  it("gives the runs, report, events, time travel and heal routes the shape of their answers", () => {
    const shaped = (path: string, method: string, status: string) =>
      doc.paths[path]?.[method]?.responses[status]?.content?.["application/json"]?.schema !== undefined;
    for (const [path, method, status] of [
      ["/api/runs", "get", "200"],
      ["/api/runs", "post", "202"],
      ["/api/runs", "post", "200"],
      ["/api/runs/{id}", "get", "200"],
      ["/api/runs/{id}/report", "get", "200"],
      ["/api/runs/{id}/events", "get", "200"],
      ["/api/events", "get", "200"],
      ["/api/runs/{id}/state", "get", "200"],
      ["/api/heals", "get", "200"],
      ["/api/runs/{id}/heals/{healing_id}/review", "post", "200"],
      ["/api/runs/{id}/stop", "post", "202"],
    ] as const)
      expect(shaped(path, method, status), `${method} ${path} ${status}`).toBe(true);
    // Errors have one documented shape.
    expect(doc.paths["/api/runs/{id}"]!.get!.responses["404"]!.content!["application/json"]!.schema).toEqual({
      $ref: "#/components/schemas/Error",
    });
  });

  it("gives every request body examples, and the run examples are requests the API accepts", async () => {
    const withBody = operations(doc).filter(({ op }) => op.requestBody);
    const bare = withBody
      .filter(({ op }) => !op.requestBody!.content["application/json"].examples)
      .map(({ path, method }) => `${method} ${path}`);
    expect(bare).toEqual([]);
    for (const { path, method, op } of withBody) {
      const { schema, examples } = op.requestBody!.content["application/json"];
      const validate = ajv.compile(schema);
      for (const [name, { value }] of Object.entries(examples ?? {}))
        expect(validate(value), `${method} ${path} example ${name}: ${JSON.stringify(validate.errors)}`).toBe(
          true,
        );
    }
    for (const { value } of Object.values(START_EXAMPLES)) {
      const body = StartBody.parse(value);
      await expect(planOf(body)).resolves.toMatchObject({ test_steps: expect.any(Array) });
    }
  });

  it("answers with the shapes it documents", async () => {
    expectDocumented("/api/runs", "get", 200, (await get("/api/runs")).json());
    expectDocumented("/api/runs/{id}", "get", 200, (await get(`/api/runs/${runId}`)).json());
    expectDocumented("/api/runs/{id}/report", "get", 200, (await get(`/api/runs/${runId}/report`)).json());
    expectDocumented("/api/runs/{id}/events", "get", 200, (await get(`/api/runs/${runId}/events`)).json());
    expectDocumented("/api/events", "get", 200, (await get("/api/events?limit=5")).json());
    expectDocumented("/api/runs/{id}/state", "get", 200, (await get(`/api/runs/${runId}/state?at=3`)).json());
    expectDocumented(
      "/api/runs/{id}/state",
      "get",
      200,
      (await get(`/api/runs/${runId}/state?step=1`)).json(),
    );
    expectDocumented("/api/heals", "get", 200, (await get("/api/heals")).json());
    const missing = await get(`/api/runs/${"0".repeat(8)}-0000-4000-8000-${"0".repeat(12)}`);
    expect(missing.statusCode).toBe(404);
    expectDocumented("/api/runs/{id}", "get", 404, missing.json());
  });

  it("says POST /api/runs answers 202 at once, and 200 with the summary when asked to wait", async () => {
    const start = doc.paths["/api/runs"]!.post!;
    expect(Object.keys(start.responses)).toEqual(expect.arrayContaining(["200", "202"]));
    const accepted = await api.app.inject({
      method: "POST",
      url: "/api/runs",
      payload: { requirements: "Open /login", url: demo.url },
    });
    expect(accepted.statusCode).toBe(202);
    expectDocumented("/api/runs", "post", 202, accepted.json());
  });
});
