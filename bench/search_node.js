/* Development aid for bench/search_node.py: runs helpglot-search.js in Node over a built chunked
 * site (fetch answered from the files), one fresh worker per query, and prints JSON: per query,
 * the rank of the expected article, the results, and the words each result calls missing.
 * Usage: node bench/search_node.js SITE WORKER QUERIES.json */
"use strict";
const fs = require("fs"), path = require("path"), vm = require("vm");
const [, , site, worker, queriesJson] = process.argv;
const queries = JSON.parse(fs.readFileSync(queriesJson, "utf8"));
let bytes = 0;
function makeWorker() {
  const listeners = [];
  let onResult = null;
  const self = {
    location: { href: "http://x/assets/javascripts/workers/helpglot-search.js", search: "" },
    addEventListener: (t, l) => listeners.push(l),
    postMessage: (m) => onResult && onResult(m),
  };
  self.self = self;
  const ctx = { self, URL, TextEncoder, Promise, Math, Array, Object, JSON, String, Number, console,
    URLSearchParams, RegExp,
    fetch: (u) => {
      const f = path.join(site, decodeURIComponent(new URL(u).pathname));
      if (!fs.existsSync(f)) return Promise.resolve({ ok: false, json: () => ({}) });
      const t = fs.readFileSync(f, "utf8");
      bytes += Buffer.byteLength(t);
      return Promise.resolve({ ok: true, json: () => Promise.resolve(JSON.parse(t)) });
    } };
  vm.createContext(ctx);
  vm.runInContext(fs.readFileSync(worker, "utf8"), ctx);
  return { send: (m) => new Promise((res) => { onResult = res; listeners.forEach((l) => l({ data: m })); }) };
}
(async () => {
  const out = [];
  for (const [lang, rows] of Object.entries(queries)) {
    const idx = JSON.parse(fs.readFileSync(path.join(site, lang === "en" ? "" : lang, "search/search_index.json"), "utf8"));
    for (const row of rows) {
      const w = makeWorker();
      await w.send({ type: 0, data: { config: idx.config, docs: [] } });
      bytes = 0;
      const r = await w.send({ type: 2, data: row.q });
      const locs = r.data.items.map((g) => g[0].location);
      const missing = r.data.items.map((g) => [g[0].location, [...new Set([].concat(...g.map((it) =>
        Object.entries(it.terms || {}).filter(([, v]) => !v).map(([k]) => k))))]]);
      let rank = null;
      if (row.expect) {
        const i = locs.findIndex((l) => l.split("#")[0].replace(/^\//, "") === row.expect);
        rank = i >= 0 ? i + 1 : null;
      }
      out.push({ lang, q: row.q, expect: row.expect || null, kind: row.kind || "", rank, shown: locs.length,
                 top: locs.slice(0, 3), missing, corrected: r.data.helpglot && r.data.helpglot.corrected, bytes });
    }
  }
  console.log(JSON.stringify(out));
})();
