import { type Config, remoteBrowserSetting } from "../../config/load.js";
import { UrlPolicy } from "../../domain/network/policy.js";

/** The operator's network policy, as the configuration says. */
export function policyOf(config: Pick<Config, "browser" | "network">): UrlPolicy {
  return UrlPolicy.of({
    allowedHosts: config.browser.allowedHosts,
    allowLoopback: config.network.mode === "local",
    allowPrivate: config.network.allowPrivate,
    ...(config.network.applicationHosts ? { applicationHosts: config.network.applicationHosts } : {}),
  });
}

/**
 * The browser pool's network gate settings, or undefined with a warning when a remote browser is configured:
 * a browser on a grid cannot be put behind a gate listening on this machine's loopback, so its pages reach
 * whatever its network lets them (shared mode refuses that configuration outright).
 */
export function gateOf(
  config: Pick<Config, "browser" | "network" | "sources">,
  warn: (message: string) => void,
): { policy: UrlPolicy } | undefined {
  const remote = remoteBrowserSetting(config.browser, config.sources);
  if (remote) {
    warn(
      `${remote}: the remote browser is not behind TestDriver's network gate; only its navigations are checked, and its pages' requests (images, fetch, WebSockets, redirects) reach any host its network allows`,
    );
    return undefined;
  }
  return { policy: policyOf(config) };
}
