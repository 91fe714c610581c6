import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

export function registerPrompts(server: McpServer) {
  server.registerPrompt(
    "write-test-plan",
    {
      title: "Write a test plan",
      description: "Turn requirements into a TestDriver test plan, check it, and run it",
      argsSchema: { requirements: z.string(), url: z.string() },
    },
    ({ requirements, url }) => ({
      messages: [
        {
          role: "user",
          content: {
            type: "text",
            text: `Write a browser test for ${url} that covers these requirements:

${requirements}

1. Call generate_test_plan with the requirements, one action or check per sentence ("Go to /login", "Type alice@example.com into the Email field", "Click the Sign in button", "Expect to see Welcome"). If sentences are refused, rephrase them that way.
2. Read the plan: every requirement needs a step and a check that proves it. Add checks (assert steps) where the plan only acts.
3. Run it with start_test (plan, url, waitForCompletion: true).
4. If it fails, call analyze_failure and say whether the test or the application is wrong.`,
          },
        },
      ],
    }),
  );
  server.registerPrompt(
    "triage-failed-run",
    {
      title: "Triage a failed run",
      description: "Find why a run failed and what to do: heal, fix the test, or report a bug",
      argsSchema: { run_id: z.string() },
    },
    ({ run_id }) => ({
      messages: [
        {
          role: "user",
          content: {
            type: "text",
            text: `Run ${run_id} failed. Triage it:

1. analyze_failure {run_id: "${run_id}"}: the failed step, the error and the likely cause.
2. get_state_snapshot at the failure: what the page showed, console errors, failed requests.
3. If the cause is a changed element (element_not_found), run heal_test and review the heals with review_healing_events: approve only heals whose new element is the same control.
4. If a check failed on a page that looks right, the test is wrong: say which step to change. If the page is wrong, it is an application bug: describe it with the evidence.
Finish with one line: healed, test to fix, or application bug.`,
          },
        },
      ],
    }),
  );
}
