/* helpglot: Material's search worker with query-side stemming.
 *
 * Material appends "*" to every query term, and lunr never stems a wildcard
 * term, so with a stemmer in the index pipeline "facturas*" finds nothing
 * (the index holds "factur"). Before Material's worker sees a query, this
 * wrapper adds, per term, a boosted copy ("facturas^1"), which lunr does run
 * through the language's stemmer; the wildcard copy keeps search-as-you-type.
 * For a language without a stemmer (Lithuanian) it adds a shortened prefix
 * instead ("sąskaitą" -> "sąskai*"), so inflected forms still meet.
 * Material's worker file name is passed as ?material=search.<hash>.min.js.
 */
(function () {
  var mode = "plain";
  var listen = self.addEventListener.bind(self);

  function expand(query) {
    if (mode === "plain" || /["+\-:~^]/.test(query)) return query;
    return query.split(/\s+/).filter(Boolean).map(function (term) {
      if (mode === "stem") return term + " " + term + "^1";
      var chars = Array.from(term);
      if (chars.length < 5) return term;
      var keep = Math.max(4, chars.length - 2);
      return term + " " + chars.slice(0, keep).join("");
    }).join(" ");
  }

  self.addEventListener = function (type, listener, options) {
    if (type !== "message") return listen(type, listener, options);
    return listen(type, function (event) {
      var message = event.data;
      if (message && message.type === 0 && message.data && message.data.config) {
        var config = message.data.config;
        var pipeline = config.pipeline || [];
        mode = pipeline.indexOf("stemmer") >= 0 ? "stem" : (pipeline.length === 0 ? "prefix" : "plain");
      } else if (message && message.type === 2 && typeof message.data === "string") {
        event = { data: { type: 2, data: expand(message.data) } };
      }
      return listener.call(self, event);
    }, options);
  };

  var material = new URLSearchParams(self.location.search).get("material");
  importScripts(material || "search.min.js");
})();
