/** A URL or address the network policy does not let the browser (or a run) reach; `host` names it. */
export class UrlRefusedError extends Error {
  override readonly name = "UrlRefusedError";
  readonly host: string;
  constructor(
    readonly url: string,
    readonly reason: string,
    /** What was refused: a navigation, or a request a page made. */
    what: "navigation" | "request" = "navigation",
  ) {
    super(`${what} to ${url} refused: ${reason}`);
    this.host = hostOf(url);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export class ScriptsDisabledError extends Error {
  override readonly name = "ScriptsDisabledError";
  constructor() {
    super(
      "execute_script is disabled: set TESTDRIVER_ALLOW_SCRIPTS=true (browser.allowScripts) to let plans and agents run JavaScript in the page",
    );
  }
}
