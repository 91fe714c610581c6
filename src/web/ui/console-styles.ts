/** The console's own layout, added to the shared styles (which the report also uses). */
export const CONSOLE_STYLES = `
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem;z-index:10}.skip:focus{left:.5rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.top{display:flex;align-items:center;gap:1.5rem;background:#24292f;color:#fff;padding:.5rem 1.2rem;flex-wrap:wrap}
.top a{color:#fff;text-decoration:none}.top a:hover{text-decoration:underline}
.brand{font-weight:700;font-size:1.1rem}
.top nav ul{display:flex;gap:1.2rem;list-style:none;margin:0;padding:0;flex-wrap:wrap}
.top nav a[aria-current=page]{text-decoration:underline;text-decoration-thickness:3px;text-underline-offset:6px}
.top :focus-visible{outline-color:#fff}
.count:not(:empty){background:#cf222e;color:#fff;border-radius:1rem;padding:0 .45rem;font-size:12px;margin-left:.2rem}
.who{margin-left:auto;display:flex;gap:.6rem;align-items:center}.who button{padding:.15rem .6rem}
main{max-width:84rem;margin:0 auto;padding:1rem 1.2rem 3rem}main:focus{outline:none}
.toolbar{display:flex;gap:.6rem;align-items:end;flex-wrap:wrap;margin:.6rem 0}
.field{display:flex;flex-direction:column;gap:.15rem}.field label{font-size:13px}
.live{display:inline-flex;align-items:center;gap:.35rem;color:var(--muted);font-size:13px}
.live::before{content:"";width:.6rem;height:.6rem;border-radius:50%;background:#1a7f37}.live.off::before{background:#6e7781}
.split{display:grid;grid-template-columns:minmax(16rem,24rem) 1fr;gap:1rem;align-items:start}
@media (max-width:900px){.split{grid-template-columns:1fr}}
.steps{list-style:none;margin:0;padding:0;border:1px solid var(--line);border-radius:8px;position:sticky;top:.5rem;max-height:90vh;overflow:auto}
.steps li+li{border-top:1px solid var(--line)}
.steps button{display:flex;flex-wrap:wrap;gap:.1rem .3rem;align-items:baseline;width:100%;text-align:left;border:0;border-radius:0;background:#fff;padding:.45rem .6rem}
.steps button[aria-current=true]{background:#ddf4ff;box-shadow:inset 4px 0 0 #0550ae}
.steps .found{flex-basis:100%;padding-left:1.9rem}
.subnav{display:flex;gap:1rem;border-bottom:1px solid var(--line);margin:.6rem 0 1rem;padding:0;list-style:none}
.subnav a{display:inline-block;padding:.4rem .2rem;text-decoration:none;color:var(--fg)}.subnav a[aria-current=page]{box-shadow:inset 0 -3px 0 #0550ae;font-weight:600}
.actions{display:flex;gap:.5rem;flex-wrap:wrap;margin:.4rem 0}
.notice{border:1px solid var(--line);border-left:4px solid #0550ae;padding:.5rem .8rem;border-radius:6px;background:var(--soft);margin:.6rem 0}
.notice.bad{border-left-color:#cf222e}.notice.good{border-left-color:#1a7f37}
.cards{display:grid;gap:1rem}.card{border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;background:#fff}
.card header{display:flex;gap:.6rem;align-items:baseline;flex-wrap:wrap}.card header h2,.card header h3{margin:.2rem 0}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:.4rem 0}.kv dt{font-weight:600}.kv dd{margin:0;word-break:break-all}
.scrub{width:100%}
.diff{position:relative;max-width:56rem}.diff .layer{position:absolute;inset:0}.diff .top-layer{opacity:.5}
.diff.slider .top-layer{opacity:1}
.chart{width:100%;max-width:48rem;height:auto;border:1px solid var(--line);border-radius:6px;background:#fff}
.chart .grid{stroke:#d0d7de}.chart .pass{stroke:#1a7f37;fill:none;stroke-width:2.5}.chart .flaky{stroke:#bc4c00;fill:none;stroke-width:2.5;stroke-dasharray:6 3}
.chart .dot-pass{fill:#1a7f37}.chart .dot-flaky{fill:#bc4c00}.chart text{font-size:12px;fill:#57606a}
.legend{display:flex;gap:1rem;color:var(--muted);font-size:13px}
.swatch{display:inline-block;width:1.2rem;height:.25rem;vertical-align:middle;margin-right:.3rem;background:#1a7f37}.swatch.flaky{background:#bc4c00}
form.stacked{display:grid;gap:.7rem;max-width:44rem}form.stacked textarea{min-height:8rem}
fieldset{border:1px solid var(--line);border-radius:6px}legend{font-weight:600}
.evidence td:nth-child(4),.evidence td:nth-child(5){word-break:break-all;font-size:13px}
`;
