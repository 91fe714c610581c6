import { z } from "zod";
import { defineEvent } from "../../events/registry.js";
import { at, index } from "./shared.js";

/** What the network gate kept from leaving the browser during a run. */

/** A request of the page (a navigation, a subresource, fetch, a WebSocket, a beacon, a popup) the policy refused. */
export const RequestRefused = defineEvent({
  type: "RequestRefused",
  version: 1,
  schema: z.object({
    index,
    url: z.string(),
    /** host:port as the page asked for it. */
    host: z.string(),
    /** Why: which rule, and the address the host resolved to when that decided it. */
    reason: z.string(),
    at,
  }),
});

export const NETWORK_EVENTS = [RequestRefused] as const;
