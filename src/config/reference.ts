import { SETTINGS } from "./settings.js";

/** Every setting as a Markdown table: `testdriver config --reference` prints it, the README carries it. */
export function settingsReference(): string {
  const rows = SETTINGS.map((s) => {
    const fallback = s.schema.safeParse(undefined);
    const value = fallback.success ? fallback.data : undefined;
    const text =
      s.defaultText ??
      (Array.isArray(value) ? value.join(",") : value === undefined ? undefined : String(value));
    const shown = text ? `\`${text}\`` : "";
    return `| \`${s.env}\` | \`${s.path.join(".")}\` | ${shown} | ${s.allowed} | ${s.description} |`;
  });
  return [
    "| Environment | YAML key | Default | Allowed | Meaning |",
    "|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
