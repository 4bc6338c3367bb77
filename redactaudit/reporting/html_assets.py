"""The HTML report's style sheet and script, inlined into the page (no CDN, no network)."""

CSS = """
:root { --error: #c0392b; --warning: #b9770e; --info: #2471a3; --bg: #fff; --fg: #1c2833; --mute: #707b7c;
  --line: #e5e8e8; font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "WenQuanYi Zen Hei",
  "Microsoft YaHei", sans-serif; }
body { margin: 0; color: var(--fg); background: var(--bg); font-size: 15px; }
header { position: sticky; top: 0; background: #f4f6f6; border-bottom: 1px solid var(--line); padding: 8px 16px;
  z-index: 2; }
header h1 { font-size: 18px; margin: 0 0 4px 0; display: inline-block; margin-right: 12px; }
.verdict { font-weight: 600; }
.verdict.failed { color: var(--error); } .verdict.passed { color: #1e8449; }
.filters { margin-top: 6px; font-size: 13px; }
.filters label { margin-right: 10px; white-space: nowrap; }
.filters .cats label { margin-right: 6px; }
main { padding: 8px 16px 40px 16px; }
table.index { border-collapse: collapse; margin: 8px 0 16px 0; }
table.index th, table.index td { border-bottom: 1px solid var(--line); padding: 3px 10px; text-align: right; }
table.index th:first-child, table.index td:first-child { text-align: left; }
table.index th { cursor: pointer; user-select: none; background: #fbfcfc; }
table.index th.asc::after { content: " ▲"; } table.index th.desc::after { content: " ▼"; }
td.n-error { color: var(--error); font-weight: 600; } td.n-warning { color: var(--warning); }
.doc { border-top: 2px solid var(--line); margin-top: 18px; padding-top: 6px; }
.doc h2 { font-size: 16px; margin: 4px 0; font-family: ui-monospace, monospace; }
.meta { color: var(--mute); font-size: 13px; margin: 2px 0; }
ol.findings { margin: 6px 0; padding-left: 22px; font-size: 14px; }
ol.findings li { margin: 2px 0; }
ol.findings li.current { background: #fcf3cf; outline: 1px solid #f4d03f; }
.sev { display: inline-block; min-width: 56px; font-weight: 600; font-size: 12px; text-transform: uppercase; }
.sev-error .sev { color: var(--error); } .sev-warning .sev { color: var(--warning); } .sev-info .sev { color: var(--info); }
.rule { color: var(--mute); font-family: ui-monospace, monospace; font-size: 12px; }
.also { color: var(--mute); font-size: 12px; }
pre.text { white-space: pre-wrap; word-break: break-all; background: #fbfcfc; border: 1px solid var(--line);
  padding: 8px 10px 8px 56px; line-height: 1.9; font-size: 15px; position: relative; counter-reset: none;
  font-family: ui-monospace, "Noto Sans Mono CJK SC", "WenQuanYi Zen Hei Mono", monospace; }
.ln { position: absolute; left: 6px; width: 40px; text-align: right; color: #aab7b8; user-select: none; font-size: 12px; }
.m { border-radius: 3px; padding: 1px 1px; scroll-margin-top: 140px; }
.m.leak { background: #fadbd8; color: var(--error); font-weight: 600; outline: 1px solid #e6b0aa; }
.m.leak.sev-warning { background: #fdebd0; color: #935116; outline-color: #f5cba7; }
.m.leak.sev-info { background: #eaf2f8; color: var(--info); outline-color: #a9cce3; }
.m.mask::after { content: attr(data-width); font-size: 10px; vertical-align: super; color: var(--mute); margin-left: 1px; }
.m.inconsistent { box-shadow: inset 0 -3px 0 var(--warning); }
.m.withheld { background: #eeeeee; color: var(--mute); }
.m.current { outline: 3px solid #f4d03f !important; }
.m.related { outline: 2px dashed var(--warning) !important; }
.m.dim { background: transparent !important; color: inherit !important; outline: none !important; font-weight: 400; }
.cat-person { background: #e8daef; } .cat-place { background: #d4efdf; } .cat-org { background: #d6eaf8; }
.cat-number, .cat-money, .cat-percent, .cat-date, .cat-rank { background: #fcf3cf; }
.cat-phone, .cat-phone_en, .cat-idcard, .cat-bankcard, .cat-email, .cat-qq, .cat-plate, .cat-ssn, .cat-iban, .cat-record_id,
.cat-ip, .cat-passport, .cat-uscc, .cat-url, .cat-wechat { background: #f6ddcc; }
.cat-address { background: #d1f2eb; } .cat-unknown { background: #eaeded; }
.legend span { padding: 0 4px; margin-right: 4px; border-radius: 3px; font-size: 12px; }
table.copy { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 14px; margin: 6px 0; }
table.copy td, table.copy th { border: 1px solid var(--line); padding: 3px 6px; vertical-align: top; white-space: pre-wrap;
  word-break: break-all; font-family: ui-monospace, "Noto Sans Mono CJK SC", monospace; }
table.copy td.same { color: var(--mute); text-align: center; font-style: italic; }
del { background: #fadbd8; text-decoration: none; } ins { background: #d5f5e3; text-decoration: none; }
td.before del, td.after ins { font-weight: 600; }
#help { display: none; position: fixed; right: 16px; top: 70px; background: #fff; border: 1px solid #aab7b8;
  padding: 10px 16px; box-shadow: 0 2px 8px rgba(0,0,0,.2); z-index: 3; font-size: 14px; }
#help.shown { display: block; } kbd { border: 1px solid #aab7b8; border-radius: 3px; padding: 0 4px; font-size: 12px; }
.hidden { display: none !important; }
"""

JS = r"""
(function () {
  "use strict";
  const $ = (s, r) => (r || document).querySelector(s), $$ = (s, r) => Array.from((r || document).querySelectorAll(s));
  // Sortable index: click a header; numbers sort by data-v, text by its content.
  $$("table.index th").forEach((th, col) => th.addEventListener("click", () => {
    const table = th.closest("table"), body = table.tBodies[0], desc = !th.classList.contains("desc");
    $$("th", table).forEach(h => h.classList.remove("asc", "desc"));
    th.classList.add(desc ? "desc" : "asc");
    const rows = Array.from(body.rows), num = th.dataset.type === "num";
    rows.sort((a, b) => {
      const x = a.cells[col].dataset.v ?? a.cells[col].textContent, y = b.cells[col].dataset.v ?? b.cells[col].textContent;
      const c = num ? (parseFloat(x) - parseFloat(y)) : x.localeCompare(y);
      return desc ? -c : c;
    });
    rows.forEach(r => body.appendChild(r));
  }));
  // Filters: severity and category. A finding hidden by a filter leaves its list and its mark is dimmed.
  function applyFilters() {
    const sev = new Set($$("input.f-sev:checked").map(i => i.value));
    const cat = new Set($$("input.f-cat:checked").map(i => i.value));
    $$("ol.findings li").forEach(li => {
      const shown = sev.has(li.dataset.sev) && cat.has(li.dataset.cat);
      li.classList.toggle("hidden", !shown);
      const mark = document.getElementById(li.dataset.mark);
      if (mark) mark.classList.toggle("dim", !shown);
    });
    $$("section.doc").forEach(sec => {
      const n = $$("ol.findings li:not(.hidden)", sec).length;
      const row = document.getElementById("row-" + sec.id);
      if (row) row.classList.toggle("hidden", n === 0 && sec.dataset.findings !== "0");
    });
    $("#shown-count").textContent = $$("ol.findings li:not(.hidden)").length;
  }
  $$("input.f-sev, input.f-cat").forEach(i => i.addEventListener("change", applyFilters));
  // Related spans: selecting a finding outlines the spans it points at.
  function select(li) {
    $$(".current").forEach(e => e.classList.remove("current"));
    $$(".m.related").forEach(e => e.classList.remove("related"));
    if (!li) return;
    li.classList.add("current");
    const mark = document.getElementById(li.dataset.mark);
    if (mark) { mark.classList.add("current"); mark.scrollIntoView({block: "center"}); }
    (li.dataset.related || "").split(" ").filter(Boolean).forEach(id => {
      const r = document.getElementById(id); if (r) r.classList.add("related");
    });
    history.replaceState(null, "", "#" + li.id);
  }
  $$("ol.findings li").forEach(li => li.addEventListener("click", e => { if (e.target.tagName !== "A") select(li); }));
  $$("a.to-mark").forEach(a => a.addEventListener("click", () => select(a.closest("li"))));
  $$(".m[data-finding]").forEach(m => m.addEventListener("click", () => select(document.getElementById(m.dataset.finding))));
  // Keyboard: j / k next / previous finding, n / p next / previous document, ? help, Esc closes it.
  function step(list, dir) {
    const items = list.filter(e => !e.classList.contains("hidden"));
    if (!items.length) return null;
    const at = items.findIndex(e => e.classList.contains("current"));
    return items[at < 0 ? (dir > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, at + dir))];
  }
  let docAt = -1;
  document.addEventListener("keydown", e => {
    if (e.target.tagName === "INPUT" || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "j" || e.key === "k") select(step($$("ol.findings li"), e.key === "j" ? 1 : -1));
    else if (e.key === "n" || e.key === "p") {
      const docs = $$("section.doc");
      docAt = Math.min(docs.length - 1, Math.max(0, docAt + (e.key === "n" ? 1 : -1)));
      if (docs[docAt]) { docs[docAt].scrollIntoView(); history.replaceState(null, "", "#" + docs[docAt].id); }
    } else if (e.key === "?") $("#help").classList.toggle("shown");
    else if (e.key === "Escape") $("#help").classList.remove("shown");
    else return;
    e.preventDefault();
  });
  applyFilters();
})();
"""
