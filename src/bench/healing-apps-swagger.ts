import type { AppPair, AppTarget, Where } from "./healing-apps-corpus.js";

/**
 * Swagger UI 2.2.10 (package `swagger-ui`, jQuery and Handlebars, 2017) against 5.35.0 (`swagger-ui-dist`,
 * React), both showing the petstore spec that 2.2.10 ships in test/specs/v2 (served beside each release;
 * 2.2.10 reads it from `?url=`, 5.35.0's swagger-initializer.js was pointed at it, and both had the online
 * validator turned off so that nothing leaves the machine). A rewrite: the header's `<a id="explore">` is a
 * `<button>` now (the issue's own example), the URL box lost its id and placeholder, Authorize moved from
 * the header to the page, each tag's Show/Hide link became the tag's collapse button, and operations are
 * no longer list items with a method link, a path link and a summary link but a block with one summary
 * button and a path link. Each tag's "List Operations" and "Expand Operations" links are gone (removed).
 *
 * Held out, like TiddlyWiki: truth written from the markup, scored once after every change was made.
 */

const pair = (old: Where, now: Where | null) => ({ old, now });

const tagLink = (tag: string): AppTarget => ({
  description: tag,
  view: "top",
  ...pair({ css: `#resource_${tag} h2 a.toggleEndpointList` }, { css: `#operations-tag-${tag} a.nostyle` }),
});

const showHide = (tag: string): AppTarget => ({
  description: `Show/Hide ${tag}`,
  view: "top",
  note: "the tag's Show/Hide link; 5.x collapses a tag with the button in its heading",
  ...pair({ css: `#endpointListTogger_${tag}` }, { css: `#operations-tag-${tag} button.expand-operation` }),
});

const gone = (tag: string, text: string): AppTarget => ({
  description: `${text} of ${tag}`,
  view: "top",
  ...pair({ css: `#resource_${tag} a`, text }, null),
});

const TOP: AppTarget[] = [
  {
    description: "Explore",
    view: "top",
    note: '<a id="explore"> became <button class="download-url-button">',
    ...pair({ css: "a#explore" }, { css: "button.download-url-button" }),
  },
  {
    description: "api url",
    role: "textbox",
    view: "top",
    note: "#input_baseUrl with a placeholder became #download-url-input without one",
    ...pair({ css: "#input_baseUrl" }, { css: "#download-url-input" }),
  },
  {
    description: "Authorize",
    view: "top",
    note: "a header link became a button above the operations",
    ...pair({ css: "a.authorize__btn" }, { css: "button.authorize" }),
  },
  tagLink("user"),
  tagLink("store"),
  tagLink("pet"),
  {
    description: "http://swagger.io",
    view: "top",
    ...pair(
      { css: ".info_description a[href='http://swagger.io']" },
      { css: ".description a[href='http://swagger.io']" },
    ),
  },
  {
    description: "Contact the developer",
    view: "top",
    note: 'the mailto link now reads "Send email to Your pals at Swagger"',
    ...pair({ css: "a[href^='mailto:']" }, { css: "a[href^='mailto:']" }),
  },
  {
    description: "Apache 2.0",
    view: "top",
    ...pair({ css: "a", text: "Apache 2.0" }, { css: "a", text: "Apache 2.0" }),
  },
  showHide("user"),
  showHide("pet"),
  gone("user", "List Operations"),
  gone("user", "Expand Operations"),
  gone("pet", "List Operations"),
  gone("pet", "Expand Operations"),
];

/** An operation's method link, path link and (for some) summary link, and what each became in 5.x. */
function operation(id: string, method: string, path: string, summary?: string): AppTarget[] {
  const old = `#pet_${id}`;
  const now = `#operations-pet-${id}`;
  const out: AppTarget[] = [
    {
      description: `${method} ${path}`,
      view: "pet",
      note: "the method link toggled the operation; 5.x toggles it with the summary button",
      ...pair({ css: `${old} .http_method a` }, { css: `${now} button.opblock-summary-control` }),
    },
    {
      description: path,
      view: "pet",
      ...pair({ css: `${old} .path a` }, { css: `${now} .opblock-summary-path a` }),
    },
  ];
  if (summary) {
    out.push({
      description: summary,
      view: "pet",
      note: "the summary link; 5.x's summary is text inside the summary button",
      ...pair({ css: `${old} ul.options a` }, { css: `${now} button.opblock-summary-control` }),
    });
  }
  return out;
}

const PET: AppTarget[] = [
  ...operation("addPet", "POST", "/pet"),
  ...operation("updatePet", "PUT", "/pet"),
  ...operation("findPetsByStatus", "GET", "/pet/findByStatus"),
  ...operation("getPetById", "GET", "/pet/{petId}", "Find pet by ID"),
  ...operation("deletePet", "DELETE", "/pet/{petId}", "Deletes a pet"),
];

export const SWAGGER_UI: AppPair = {
  app: "swagger-ui",
  pkg: "swagger-ui@2.2.10 / swagger-ui-dist@5.35.0",
  from: "2.2.10",
  to: "5.35.0",
  page: { old: "package/dist/index.html?url=/package/dist/petstore.json", now: "package/index.html" },
  views: {
    top: { old: [], now: [] },
    // 2.x lists a tag's operations only once its Show/Hide is clicked; 5.x lists them at once.
    pet: { old: ["#endpointListTogger_pet"], now: [] },
  },
  targets: [...TOP, ...PET],
  use: "held-out",
};
