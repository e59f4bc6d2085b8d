/* helpglot search worker: speaks Material's worker protocol (SETUP -> READY,
 * QUERY -> RESULT), so Material's search box, result list and keyboard handling
 * stay as readers know them.
 *
 * chunked mode (config.helpglot present in search_index.json, the default): the
 * index is split into term shards and per-page fragments (helpglot/searchindex.py
 * explains the layout); a query fetches the few shards its words can live in and
 * one fragment per result shown, so a page never downloads the whole index.
 * Words are compared folded (helpglot/searchtext.py has the same rules): case as
 * the language writes it (Turkish I/ı, İ/i), no accents, ş = ș, ё = е, so readers
 * can type without accents; the exact spelling ranks first, then the folded word,
 * words it begins (search as you type), Snowball stems, and one typo for words
 * of five letters or more (four when nothing else matches). Pages this language
 * shows in English are listed after its own, under a translated "Results in
 * English" heading, with lang="en"; when nothing matches, a few are offered.
 *
 * lunr mode (search_index: lunr): Material's own worker (?material=<file>) with
 * query-side stemming, as before; results carry no "missing" terms, because
 * Material would call a term missing whenever the index holds its stem.
 */
(function () {
  "use strict";
  var listen = self.addEventListener.bind(self);
  var post = self.postMessage.bind(self);
  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;

  /* ---- folding: keep in step with helpglot/searchtext.py ---- */
  var TURKIC = { tr: 1, az: 1 };
  var EXTRA = { "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ß": "ss", "æ": "ae", "œ": "oe" };
  var WORD = /[\p{L}\p{N}]+/gu;

  function lower(word, lang) {
    word = word.normalize("NFC");
    if (TURKIC[lang.split("-")[0]]) word = word.replace(/I/g, "ı").replace(/İ/g, "i");
    return word.toLowerCase().normalize("NFC");
  }
  function fold(word, lang) {
    return lower(word, lang).normalize("NFKD").replace(/\p{M}/gu, "")
      .replace(/[ıłøđðßæœ]/g, function (ch) { return EXTRA[ch]; });
  }
  function tokens(text) { return text.normalize("NFC").match(WORD) || []; }
  function deletions(word) {
    var chars = Array.from(word), out = [];
    for (var i = 0; i < Math.min(4, chars.length); i++)
      out.push(chars.slice(0, i).concat(chars.slice(i + 1)).join(""));
    return out;
  }
  function distance1(a, b) {
    if (a === b) return true;
    a = Array.from(a); b = Array.from(b);
    var la = a.length, lb = b.length, i = 0;
    if (Math.abs(la - lb) > 1) return false;
    while (i < Math.min(la, lb) && a[i] === b[i]) i++;
    var s = function (x, from) { return x.slice(from).join(""); };
    if (la === lb)
      return s(a, i + 1) === s(b, i + 1) ||
        (s(a, i + 2) === s(b, i + 2) && a[i] === b[i + 1] && a[i + 1] === b[i]);
    return la > lb ? s(a, i + 1) === s(b, i) : s(a, i) === s(b, i + 1);
  }
  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h >>> 0;
  }
  /* Three letters, four for the crowded prefixes listed in the index (searchindex.bucket). */
  function bucket(body) {
    var chars = Array.from(body), three = chars.slice(0, 3).join("");
    return meta && meta.split && meta.split.indexOf(three) >= 0 ? chars.slice(0, 4).join("") : three;
  }
  self.helpglotFold = { fold: fold, lower: lower, tokens: tokens };  // for tests

  /* ---- chunked index ---- */
  var meta = null, base = null, latest = 0, shards = {}, fragments = {};

  function getJSON(path, cache, key) {
    if (!cache[key]) cache[key] = fetch(new URL(path + "?v=" + meta.v, base))
      .then(function (r) { return r.ok ? r.json() : {}; })
      .catch(function () { delete cache[key]; return {}; });
    return cache[key];
  }
  function shardOf(body) { return fnv1a(bucket(body)) % meta.shards; }
  function shard(n) { return getJSON("t/" + n + ".json", shards, n); }
  function fragment(p) { return getJSON("f/" + p + ".json", fragments, p); }

  function escapeHTML(text) {
    return text.replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch];
    });
  }
  /* Wrap words whose folded form begins with a matched root in <mark>. */
  function highlight(text, roots, lang) {
    return text.split(/([\p{L}\p{N}]+)/u).map(function (part, i) {
      if (i % 2 === 0) return escapeHTML(part);
      var f = fold(part, lang);
      var hit = roots.some(function (r) { return r.whole ? f === r.text : f.indexOf(r.text) === 0; });
      return hit ? "<mark>" + escapeHTML(part) + "</mark>" : escapeHTML(part);
    }).join("");
  }

  /* Per term: code (page*256+section) -> weight, plus the roots to highlight. */
  function matchTerm(term, loaded) {
    var f = term.f, x = term.x, hits = {}, roots = [], n = meta.pages;
    function add(postings, weight) {
      var idf = Math.log(1 + n / Math.max(1, postings[0]));
      for (var i = 1; i < postings.length; i += 2) {
        var score = weight * postings[i + 1] * idf;
        if (!(hits[postings[i]] >= score)) hits[postings[i]] = score;
      }
    }
    var main = loaded[shardOf(f)] || {}, found = false, common = false;
    var flen = Array.from(f).length;
    for (var key in main) {
      var kind = "=~-".indexOf(key[0]) >= 0 ? key[0] : "", body = kind ? key.slice(1) : key;
      /* the same spelling first, but only just: in a stemmed language the stem is what
         matches inflected titles ("счёт" / "Отправка первого счёта") */
      if (kind === "=" && body === f + "|" + x) { add(main[key], 1.15); found = true; }
      else if (kind === "" && body === f) {
        add(main[key], 1.0); found = true; roots.push({ text: f });
        common = main[key][0] > 0.4 * n && n >= 5;  // "de", "и", "ir": in most pages, says little
      }
      else if (kind === "" && flen >= 3 && body.indexOf(f) === 0) {
        add(main[key], 0.6 * Math.sqrt(flen / Array.from(body).length)); found = true;
        roots.push({ text: f });
      } else if (kind === "~" && f.indexOf(body) === 0) {
        var blen = Array.from(body).length;
        if (blen >= 3 && blen >= flen - 4) { add(main[key], 0.9); found = true; roots.push({ text: body }); }
      }
    }
    return { hits: hits, roots: roots, found: found, common: common };
  }

  function typoWords(term, loaded) {
    var f = term.f, words = {};
    var main = loaded[shardOf(f)] || {};
    for (var key in main)
      if ("=~-".indexOf(key[0]) < 0 && distance1(f, key)) words[key] = 1;
    (main["-" + f] || []).forEach(function (w) { words[w] = 1; });
    deletions(f).forEach(function (d) {
      var s = loaded[shardOf(d)] || {};
      if (s[d] && "=~-".indexOf(d[0]) < 0) words[d] = 1;
      (s["-" + d] || []).forEach(function (w) { if (distance1(f, w)) words[w] = 1; });
    });
    delete words[f];
    return Object.keys(words);
  }

  function loadShards(numbers, loaded) {
    var todo = numbers.filter(function (n) { return !(n in loaded); });
    return Promise.all(todo.map(function (n) {
      return shard(n).then(function (data) { loaded[n] = data; });
    })).then(function () { return loaded; });
  }

  function search(query) {
    var lang = meta.lang, seen = {}, terms = [];
    tokens(query).forEach(function (word) {
      var f = fold(word, lang);
      if (!seen[f]) { seen[f] = 1; terms.push({ word: word, f: f, x: lower(word, lang) }); }
    });
    if (!terms.length) return Promise.resolve({ items: [], suggest: [] });
    var loaded = {}, wanted = [];
    terms.forEach(function (t) {
      wanted.push(shardOf(t.f));
      if (Array.from(t.f).length >= 4) deletions(t.f).forEach(function (d) { wanted.push(shardOf(d)); });
    });
    return loadShards(wanted, loaded).then(function () {
      var matches = terms.map(function (t) { return matchTerm(t, loaded); });
      var anyFound = matches.some(function (m) { return m.found; });
      var typos = terms.map(function (t, i) {
        var len = Array.from(t.f).length;
        return !matches[i].found && (len >= 5 || (len === 4 && !anyFound)) ? typoWords(t, loaded) : [];
      });
      var extra = [].concat.apply([], typos).map(shardOf);
      return loadShards(extra, loaded).then(function () {
        /* a corrected word matches as if typed (its inflections through the stem too), lower */
        typos.forEach(function (words, i) {
          words.forEach(function (w) {
            var corrected = matchTerm({ f: w, x: "" }, loaded);
            for (var code in corrected.hits) {
              var score = 0.45 * corrected.hits[code];
              if (!(matches[i].hits[code] >= score)) matches[i].hits[code] = score;
            }
            matches[i].roots = matches[i].roots.concat(corrected.roots);
          });
        });
        return assemble(terms, matches);
      });
    });
  }

  function assemble(terms, matches) {
    var pages = {};
    /* Words found in most pages count neither for coverage nor as "missing", unless the
       query has nothing else. */
    var rare = matches.map(function (m) { return !m.common; });
    if (!rare.some(Boolean)) rare = matches.map(function () { return true; });
    terms = terms.map(function (t, i) { return rare[i] ? t : null; });
    matches.forEach(function (m, i) {
      for (var code in m.hits) {
        var p = Math.floor(code / 256), s = code % 256, page = pages[p];
        if (!page) page = pages[p] = { p: p, best: {}, sum: {}, sections: {}, score: 0 };
        page.best[i] = Math.max(page.best[i] || 0, m.hits[code]);
        page.sum[i] = (page.sum[i] || 0) + m.hits[code];
        var sec = page.sections[s] || (page.sections[s] = { score: 0, terms: {} });
        sec.score += m.hits[code];
        sec.terms[i] = true;
      }
    });
    var ranked = Object.keys(pages).map(function (p) {
      var page = pages[p];
      var covered = Object.keys(page.best).filter(function (i) { return rare[i]; }).length;
      page.covered = covered;
      /* per word: its best section, plus a little for each other section that has it (an
         article about the word has it throughout) */
      page.score = Object.keys(page.best).reduce(function (sum, i) {
        return sum + page.best[i] + 0.3 * (page.sum[i] - page.best[i]);
      }, 0);
      page.rank = covered * 1e6 + page.score;
      return page;
    }).sort(function (a, b) { return b.rank - a.rank; });
    /* Ten pages (what Material shows before scrolling): each costs a fragment fetch. */
    var own = ranked.filter(function (page) { return page.p < meta.en_from; });
    var english = ranked.filter(function (page) { return page.p >= meta.en_from; }).slice(0, 5);
    /* Material renders ten results before the reader scrolls: English-only matches keep a place
       in them (heading included) rather than come after ten weaker pages in the reader's language
       ("не могу войти": pages with "не" alone would hide "I cannot sign in"). */
    own = own.slice(0, english.length ? Math.max(4, 9 - english.length) : 10);
    if (!own.length && !english.length)
      english = meta.offer.map(function (p) { return { p: p, best: {}, sections: {}, score: 0, offered: true }; });
    var roots = [].concat.apply([], matches.map(function (m) { return m.roots; }));
    var chosen = own.concat(english);
    return Promise.all(chosen.map(function (page) { return fragment(page.p); })).then(function (frags) {
      var items = chosen.map(function (page, k) {
        return render(page, frags[k] || {}, terms, roots, page.p >= meta.en_from);
      }).filter(Boolean);
      return { items: items, suggest: [] };
    });
  }

  function termsOf(terms, matched, offered) {
    var out = {};
    if (offered) return out;
    terms.forEach(function (t, i) { if (t) out[t.word] = !!matched[i]; });
    return out;
  }

  function render(page, frag, terms, roots, english) {
    if (!frag.l && frag.l !== "") return null;
    var lang = english ? meta.en : meta.lang;
    function title(text) {
      var html = highlight(text, roots, lang);
      return english ? '<span lang="en" data-helpglot-english="' + escapeHTML(meta.english) + '">' + html + "</span>" : html;
    }
    function text(value) {
      var html = highlight(value, roots, lang);
      return english ? '<p lang="en">' + html + "</p>" : "<p>" + html + "</p>";
    }
    var top = Math.max(page.score, 0.001);
    var items = [{ location: frag.l, title: title(frag.t), text: text(frag.x), score: top,
                   terms: termsOf(terms, page.best, page.offered) }];
    var covers = function (s) {
      return Object.keys(page.sections[s].terms).filter(function (i) { return terms[i]; }).length >= page.covered;
    };
    Object.keys(page.sections).map(Number).filter(function (s) { return s > 0 && frag.s[s - 1] && covers(s); })
      .sort(function (a, b) { return page.sections[b].score - page.sections[a].score; })
      .slice(0, 5)
      .forEach(function (s) {
        var sec = frag.s[s - 1];
        items.push({ location: sec[0], title: title(sec[1]), text: text(sec[2]),
                     score: Math.min(page.sections[s].score, top * 0.99), terms: termsOf(terms, page.sections[s].terms) });
      });
    return items;
  }

  function chunked(message) {
    if (message.type === SETUP) {
      meta = message.data.config.helpglot;
      base = new URL(meta.path, new URL("../../../", self.location.href));
      post({ type: READY });
    } else if (message.type === QUERY) {
      var id = ++latest;
      search(String(message.data || "")).then(function (result) {
        if (id === latest) post({ type: RESULT, data: result });
      }, function (error) {
        console.warn("helpglot search:", error);
        if (id === latest) post({ type: RESULT, data: { items: [], suggest: [] } });
      });
    }
  }

  /* ---- lunr mode: Material's worker, wrapped ---- */
  var materialListener = null, stemMode = "plain";

  function expand(query) {
    if (stemMode === "plain" || /["+\-:~^]/.test(query)) return query;
    return query.split(/\s+/).filter(Boolean).map(function (term) {
      if (stemMode === "stem") return term + " " + term + "^1";
      var chars = Array.from(term);
      if (chars.length < 5) return term;
      return term + " " + chars.slice(0, Math.max(4, chars.length - 2)).join("");
    }).join(" ");
  }

  function lunr(message) {
    if (!materialListener) {
      var config = message.data && message.data.config || {};
      var pipeline = config.pipeline || [];
      stemMode = pipeline.indexOf("stemmer") >= 0 ? "stem" : (pipeline.length === 0 ? "prefix" : "plain");
      self.addEventListener = function (type, listener, options) {
        if (type !== "message") return listen(type, listener, options);
        materialListener = listener;
      };
      self.postMessage = function (reply) {
        if (reply && reply.type === RESULT && reply.data && reply.data.items)
          reply.data.items.forEach(function (group) {
            group.forEach(function (item) {
              for (var term in item.terms || {}) item.terms[term] = true;
            });
          });
        return post(reply);
      };
      var material = new URLSearchParams(self.location.search).get("material");
      importScripts(material || "search.min.js");
    }
    if (message.type === QUERY && typeof message.data === "string")
      message = { type: QUERY, data: expand(message.data) };
    materialListener.call(self, { data: message });
  }

  var mode = null;
  listen("message", function (event) {
    var message = event.data || {};
    if (mode === null && message.type === SETUP)
      mode = message.data && message.data.config && message.data.config.helpglot ? chunked : lunr;
    if (mode) mode(message);
  });
})();
