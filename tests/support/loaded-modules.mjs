// Passed to node with --import: reports every module of this project that the process loads, one URL a line
// on stderr with the prefix "loaded ", so that a test can tell what a command line imported.
import { register } from "node:module";

register(
  `data:text/javascript,${encodeURIComponent(`
    import { writeSync } from "node:fs";
    export async function load(url, context, next) {
      if (url.startsWith("file:") && !url.includes("/node_modules/")) writeSync(2, "loaded " + url + "\\n");
      return next(url, context);
    }
  `)}`,
);
