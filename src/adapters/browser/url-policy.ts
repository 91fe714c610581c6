// The network policy is domain logic (src/domain/network); the browser adapters and their callers keep
// importing it from here.
export { ScriptsDisabledError, UrlRefusedError } from "../../domain/network/errors.js";
export { isLoopback, UrlPolicy } from "../../domain/network/policy.js";
