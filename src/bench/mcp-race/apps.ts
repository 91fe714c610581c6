import { createRequire } from "node:module";
import { dirname } from "node:path";
import { serveStatic } from "../serve-static.js";

/** A real application served on an ephemeral loopback port: nothing it loads leaves the machine. */
export interface ServedApp {
  /** Where a user opens it. */
  url: string;
  close(): Promise<void>;
}

const packageDir = (name: string) => dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));

/** TodoMVC's React implementation from the `todomvc` package: nameless checkboxes and delete buttons. */
export async function serveTodoMvc(): Promise<ServedApp> {
  const site = await serveStatic(packageDir("todomvc"));
  return { url: `${site.url}/examples/react/`, close: site.close };
}

/**
 * Swagger UI 5 (`swagger-ui-dist`) on a small pet registry's OpenAPI document: an operation whose request is a
 * form of several fields plus a query parameter, filled after "Try it out" and sent with "Execute". The API
 * behind it answers for real, so the response code and body the page shows come from the request it made.
 */
export async function serveSwaggerUi(): Promise<ServedApp> {
  const pets: Record<string, unknown>[] = [];
  const site = await serveStatic(packageDir("swagger-ui-dist"), async (req, res, path) => {
    if (path === "/swagger-initializer.js") {
      res.writeHead(200, { "content-type": "text/javascript" });
      res.end(`window.onload = () => { window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui",
        presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout" }); };`);
      return true;
    }
    if (path === "/openapi.json") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(PET_API));
      return true;
    }
    if (path === "/api/pets" && req.method === "POST") {
      let body = "";
      for await (const chunk of req) body += chunk;
      const form = Object.fromEntries(new URLSearchParams(body));
      if (!form.name) {
        res.writeHead(400, { "content-type": "application/json" }).end('{"error":"name is required"}');
        return true;
      }
      const notify = new URL(req.url ?? "/", "http://x").searchParams.get("notify");
      const pet = { id: pets.length + 1, ...form, notify: notify === "true" };
      pets.push(pet);
      res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify(pet));
      return true;
    }
    return false;
  });
  return { url: `${site.url}/`, close: site.close };
}

const PET_API = {
  openapi: "3.0.3",
  info: { title: "Pet registry", version: "1.0.0", description: "Register the pets of a shelter." },
  servers: [{ url: "/api" }],
  paths: {
    "/pets": {
      post: {
        tags: ["pets"],
        summary: "Register a pet",
        operationId: "registerPet",
        parameters: [
          {
            name: "notify",
            in: "query",
            description: "Email the shelter about the new pet",
            schema: { type: "boolean" },
          },
        ],
        requestBody: {
          required: true,
          content: {
            "application/x-www-form-urlencoded": {
              schema: {
                type: "object",
                required: ["name", "species"],
                properties: {
                  name: { type: "string", description: "The pet's name" },
                  species: { type: "string", enum: ["cat", "dog", "rabbit"], description: "What it is" },
                  age: { type: "integer", description: "Age in years" },
                  owner_email: { type: "string", description: "Who to call" },
                },
              },
            },
          },
        },
        responses: { "201": { description: "Registered" }, "400": { description: "Missing fields" } },
      },
    },
  },
};
