/**
 * The stylesheet of the console and of the static report (inlined there). Colours meet WCAG 2.1 AA contrast
 * on their backgrounds (4.5:1 for text, 3:1 for outlines and focus rings).
 */
export const STYLES = `
:root{--fg:#1f2328;--muted:#57606a;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;--accent:#0550ae;--pass:#1a7f37;--heal:#0969da;--fail:#cf222e;--warn:#9a6700;--idle:#6e7781;--stop:#bc4c00}
*{box-sizing:border-box}
[hidden]{display:none !important}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
:focus-visible{outline:3px solid #0550ae;outline-offset:2px}
[tabindex="-1"]:focus{outline:none}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--soft);padding:0 .25rem;border-radius:4px;word-break:break-all}
h1{font-size:1.6rem;margin:.2rem 0 .4rem}h2{font-size:1.25rem;margin:1.4rem 0 .5rem}h3{font-size:1.05rem;margin:.6rem 0 .3rem}h4{font-size:.95rem;margin:.4rem 0 .2rem}
.muted,.meta{color:var(--muted)}.meta{margin:.1rem 0 .6rem}
.error{color:#a40e26;white-space:pre-wrap}.detail{color:var(--muted)}
.badge{display:inline-block;padding:0 .5rem;border-radius:1rem;font-size:12px;font-weight:600;color:#fff;background:var(--idle);vertical-align:middle;margin:0 .35rem}
.s-passed,.s-approved,.s-none{background:var(--pass)}.s-healed{background:var(--heal)}.s-failed,.s-error,.s-rejected,.s-critical,.s-functional{background:var(--fail)}
.s-running,.s-healing,.s-structural,.s-captured,.s-pending-review{background:var(--warn)}.s-stopped,.s-cosmetic{background:var(--stop)}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top}
th{font-weight:600;background:var(--soft)}td.num,th.num{text-align:right;white-space:nowrap}
button,.button{font:inherit;padding:.35rem .8rem;border:1px solid #8c959f;border-radius:6px;background:var(--soft);color:var(--fg);cursor:pointer;text-decoration:none;display:inline-block}
button.primary,.button.primary{background:#1a7f37;border-color:#1a7f37;color:#fff}button.danger{background:#fff;border-color:#cf222e;color:#a40e26}
button:disabled{opacity:.6;cursor:not-allowed}
input,select,textarea{font:inherit;padding:.3rem .45rem;border:1px solid #8c959f;border-radius:6px;background:#fff;color:var(--fg)}
label{font-weight:600}
.shot{display:block;width:100%;height:auto;border:1px solid var(--line);border-radius:4px;background:var(--soft)}
.outline{fill:none;stroke-width:4}.outline.target,.outline.source{stroke:#bf3989}.outline.destination{stroke:#8250df}
.outline.was{stroke:#bc4c00}.outline.now{stroke:#0969da}.outline.change{stroke:#cf222e;stroke-dasharray:8 4}
.key{display:inline-block;width:.9rem;height:.9rem;border:3px solid #bf3989;border-radius:3px;margin-right:.35rem;vertical-align:-2px}
.key.k-destination{border-color:#8250df}.key.k-was{border-color:#bc4c00}.key.k-now{border-color:#0969da}.key.k-change{border-color:#cf222e;border-style:dashed}
.shots{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem;margin:.6rem 0}
figure{margin:0}figcaption{color:var(--muted);font-size:13px;margin-top:.2rem}
.step-card{border:1px solid var(--line);border-radius:8px;padding:.6rem 1rem;margin:.6rem 0;background:#fff}
.step-card h3 .badge,.step-card h2 .badge{margin-left:.5rem}
.found-line{margin:.2rem 0}.heal-note{border-left:4px solid var(--heal);background:#ddf4ff;padding:.2rem .8rem;margin:.5rem 0}.heal-note p{margin:.3rem 0}
.facets{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.2rem 1rem}
.facet ul{margin:.2rem 0;padding-left:1.1rem}.facet li{word-break:break-word}
.lvl{font-size:12px;font-weight:600;text-transform:uppercase}.lvl-error,.lvl-exception{color:#a40e26}.lvl-warn{color:#7d4e00}
.step-num{font-variant-numeric:tabular-nums;color:var(--muted);min-width:1.6rem;display:inline-block}
.found{color:var(--muted);font-size:13px}.dur{color:var(--muted);font-size:13px;margin-left:auto;white-space:nowrap}
.report{max-width:76rem;margin:1.5rem auto;padding:0 1rem}
.report details{border:1px solid var(--line);border-radius:8px;margin:.4rem 0}
.report summary{display:flex;gap:.4rem;align-items:baseline;padding:.45rem .8rem;cursor:pointer;flex-wrap:wrap}
.report details>.step-card{border:0;margin:0;border-top:1px solid var(--line);border-radius:0 0 8px 8px}
.filters button[aria-pressed=true]{background:#0550ae;border-color:#0550ae;color:#fff}
.defs{position:absolute;width:0;height:0;overflow:hidden}
`;
