/**
 * Request bodies for the OpenAPI document, to copy or send from the interactive reference. They aim at the
 * demo app's default address (`testdriver demo`), and a test checks that the API accepts each as written.
 */

const DEMO = "http://127.0.0.1:4400";

export const START_EXAMPLES = {
  requirements: {
    summary: "Requirements in plain words, planned without a model",
    value: {
      requirements: "Open /login\nExpect to see Sign in to Listly",
      url: DEMO,
      application_version: "1.0",
    },
  },
  plan: {
    summary: "A plan as an object; wait for the result",
    value: {
      plan: {
        name: "Sign-in page",
        application_url: DEMO,
        test_steps: [
          { action: "navigate", params: { url: "/login" } },
          { action: "assert", params: { text: "Sign in to Listly" } },
        ],
      },
      wait: true,
    },
  },
  yaml: {
    summary: "A plan as YAML text, on WebdriverIO, capturing visual baselines for version 1.0",
    value: {
      plan: "name: Sign in\napplication_url: http://127.0.0.1:4400\ntest_steps:\n  - action: navigate\n    params: { url: /login }\n  - action: type\n    params: { target: Email field, text: alice@example.com }\n",
      driver: "webdriverio",
      baselines: { capture: "1.0" },
    },
  },
} as const;

export const REVIEW_EXAMPLES = {
  approve: { summary: "Approve the heal", value: { approved: true, note: "the button was renamed" } },
  reject: { summary: "Reject it", value: { approved: false, note: "wrong element" } },
} as const;

export const ACTION_EXAMPLES = {
  background: { summary: "Answer at once (202)", value: {} },
  wait: { summary: "Answer when it is done", value: { wait: true, reason: "deploy in progress" } },
} as const;

export const REPLAY_EXAMPLES = {
  refold: { summary: "Fold the events again and compare with the read model", value: { mode: "refold" } },
  reexecute: {
    summary: "Run the recorded steps again, every element pinned",
    value: { mode: "reexecute", wait: true },
  },
} as const;

export const CAPTURE_EXAMPLES = {
  login: {
    summary: "The demo's sign-in page as the baseline of version 1.0",
    value: { url: `${DEMO}/login`, page: "login", app_version: "1.0" },
  },
  ignore: {
    summary: "Leaving a clock in the header out of comparisons",
    value: {
      url: `${DEMO}/login`,
      page: "login",
      app_version: "1.0",
      ignore_regions: [{ x: 900, y: 0, width: 120, height: 40 }],
    },
  },
} as const;

export const APPROVE_EXAMPLES = {
  approve: { summary: "Approve whatever was captured last", value: { note: "matches the design" } },
  reviewed: {
    summary: "Approve only the capture reviewed",
    value: { screenshot_hash: "0".repeat(64), note: "reviewed in the console" },
  },
} as const;

export const DRIFT_CHECK_EXAMPLES = {
  login: {
    summary: "Check the sign-in page now against version 1.0's approved baseline",
    value: { url: `${DEMO}/login`, page: "login", app_version: "1.0" },
  },
} as const;
