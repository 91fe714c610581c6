/** A page as reports and issues group it: the URL's path with numeric ids folded (/orders/42 → /orders/:id). */
export function pageOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/\/\d+(?=\/|$)/g, "/:id");
  } catch {
    return url;
  }
}
