/* helpglot search worker: speaks Material's worker protocol (SETUP -> READY,
 * QUERY -> RESULT), so Material's search box, result list and keyboard handling
 * stay as readers know them.
 *
 * chunked mode (config.helpglot present in search_index.json, the default): the
 * index is split into term shards and per-page fragments (helpglot/searchindex.py
 * explains the layout); a query fetches the few shards its words can live in and
 * one fragment per result shown, so a page never downloads the whole index.
 * Words are compared folded (helpglot/searchtext.py has the same rules): case as
 * the language writes it (Turkish I/ı, İ/i), no diacritics (accents, harakat,
 * niqqud), ş = ș, ё = е; a word is letters, digits and marks (Thai, Bengali and
 * Khmer vowel signs never split it); Chinese and Japanese are looked up as
 * character bigrams, as they are indexed. The exact spelling ranks first, then
 * the folded word, words it begins (search as you type), the index's Snowball
 * stems the word can be the inflection of (its stem less an ending; Turkish
 * p/t/k soften to b/d/ğ), and one typo for words of five letters or more (six in
 * Arabic and Hebrew; four, first two letters kept, when nothing else matches).
 * Stop words (stopwords-iso, all of them marked in the index) weigh little and
 * are never "missing"; a katakana run is one word. A page answers when it covers
 * 40% of the query's idf-weighted words and, if it lacks one, says another in
 * its title (assemble).
 *
 * Pages of the language and pages it shows in English are ranked together by
 * score; English ones carry lang="en" and a translated badge. RESULT carries
 * data.helpglot = {query, corrected, total, shown}: the page (main.html wraps the
 * Worker) says "showing results for ...", that nothing answers (with the contact
 * link and popular articles, never filler), and offers every result past ten
 * (QUERY with data.limit).
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
  var WORD = /[\p{L}\p{N}\p{M}]+/gu;
  /* searchtext.FOLDED_MARKS */
  var FOLDED = /[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  /* searchtext.CJK_RANGES */
  var CJK = "\u3005-\u3007\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u{20000}-\u{2ffff}";
  var KATAKANA = /[\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]{3,}/gu;
  var CJK_SPLIT = new RegExp("([" + CJK + "]+)", "u"), IS_CJK = new RegExp("^[" + CJK + "]", "u");
  var SOFT = { p: "b", t: "d", k: "g" };  // Turkish: kitap / kitabı, renk / rengi (folded)
  /* assemble: a word found nowhere weighs as a word in one page of ten; a corrected word covers
     70% of what the typed one would; a posting weight of 40 is a title's
     (searchindex: a title word counts 30, log-damped to 10 * (1 + ln 30) = 44; a heading's 33) */
  var ABSENT = Math.log(11), SURE_TYPO = 0.7, TITLED = 40;

  function lower(word, lang) {
    word = word.normalize("NFC");
    if (TURKIC[lang.split("-")[0]]) word = word.replace(/I/g, "ı").replace(/İ/g, "i");
    return word.toLowerCase().normalize("NFC");
  }
  function fold(word, lang) {
    return lower(word, lang).normalize("NFKD").replace(FOLDED, "")
      .replace(/[ıłøđðßæœ]/g, function (ch) { return EXTRA[ch]; }).normalize("NFC");
  }
  function tokens(text) { return text.normalize("NFC").match(WORD) || []; }
  function words(text) {
    var out = [];
    tokens(text).forEach(function (token) {
      token.split(CJK_SPLIT).forEach(function (part) {
        if (!part) return;
        if (!IS_CJK.test(part)) { out.push(part); return; }
        var ch = Array.from(part);
        if (ch.length === 1) out.push(part);
        for (var i = 0; i + 1 < ch.length; i++) out.push(ch[i] + ch[i + 1]);
      });
    });
    return out;
  }
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
  /* The shortest word a typo is forgiven in. Arabic and Hebrew write no short vowels, so their
     words are short and dense: one letter off a five-letter word is usually another real word
     (العمل "work" -> العميل "the customer"); there it takes six letters (Latin, Cyrillic, Greek:
     five, or four when nothing else matches and the first two letters stay; in Arabic those two
     are often the article). */
  var ABJAD = /[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;
  function typoLength(word) { return ABJAD.test(word) ? 6 : 5; }
  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h >>> 0;
  }
  /* Three letters, four for the crowded prefixes listed in the index; words of one or two
     letters (not Chinese or Japanese) all share one bucket (searchshards.bucket). */
  function bucket(body) {
    var chars = Array.from(body), three = chars.slice(0, 3).join("");
    if (chars.length < 3 && !IS_CJK.test(body)) return "\u0000";
    return meta && meta.split && meta.split.indexOf(three) >= 0 ? chars.slice(0, 4).join("") : three;
  }
  self.helpglotFold = { fold: fold, lower: lower, tokens: tokens, words: words };  // for tests

  /* ---- chunked index ---- */
  var meta = null, base = null, latest = 0, shards = {}, fragments = {}, arabic = false;

  function getJSON(path, cache, key) {
    if (!cache[key]) cache[key] = fetch(new URL(path + "?v=" + meta.v, base))
      .then(function (r) { return r.ok ? r.json() : {}; })
      .catch(function () { delete cache[key]; return {}; });
    return cache[key];
  }
  /* the short words' bucket has a file of its own (searchshards.shard_of) */
  function shardOf(body) { var b = bucket(body); return b === "\u0000" ? "s" : fnv1a(b) % meta.shards; }
  function shard(n) { return getJSON("t/" + n + ".json", shards, n); }
  function fragment(p) { return getJSON("f/" + p + ".json", fragments, p); }

  function escapeHTML(text) {
    return text.replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch];
    });
  }
  /* Whole words only: a word the query matched, or one whose folded form is a matched stem
     plus an ending ("no" marks "no", never "Nota"). */
  function marks(word, roots, lang) {
    var f = fold(word, lang);
    return roots.some(function (r) {
      if (r.whole) return f === r.text;
      return f.indexOf(r.text) === 0 && Array.from(f).length <= Array.from(r.text).length + 5;
    });
  }
  function highlight(text, roots, lang) {
    return text.split(/([\p{L}\p{N}\p{M}]+)/u).map(function (part, i) {
      if (i % 2 === 0) return escapeHTML(part);
      return marks(part, roots, lang) ? "<mark>" + escapeHTML(part) + "</mark>" : escapeHTML(part);
    }).join("");
  }
  /* The body is a stem the word can be an inflection of: the word less an ending (Snowball
     only cuts endings), or, in Turkish, with the stem's last p/t/k softened. */
  /* Arabic: Snowball's Arabic stemmer cuts only suffixes made of these letters (ه ك ي ن ا م و ت ة ى:
     pronoun, plural, feminine, verb endings), plus the hamza that ends a weak verb's other forms
     (أنشئ "create", stem انش, and إنشاء "creating"); a "stem" whose cut-off rest has any other letter
     is another word's (أداة "tool", stem ادا, is no stem of إدارة "management": رة is no ending) */
  var ARABIC_ENDING = /^[\u0647\u0643\u064a\u0646\u0627\u0645\u0648\u062a\u0629\u0649\u0621]*$/;
  function stemOf(body, f, turkic) {
    if (f.indexOf(body) === 0)
      return !arabic || ARABIC_ENDING.test(f.slice(body.length));
    var last = body.slice(-1);
    return turkic && SOFT[last] && f.indexOf(body.slice(0, -1) + SOFT[last]) === 0;
  }

  /* Per term: code (page*256+section) -> weight; the forms to highlight; whether every list
     it matched is whole (then a page it does not list truly lacks the word). */
  function matchTerm(term, loaded) {
    var f = term.f, x = term.x, hits = {}, quality = {}, field = {}, roots = [], n = meta.pages, complete = true, found = false, df = 0, strongDf = 0;
    var turkic = !!TURKIC[meta.lang.split("-")[0]];
    /* per page: the score, how surely it says the word (1; a corrected word less, in search) and
       the posting's weight (a title's or not: assemble) */
    function add(postings, weight) {
      var idf = Math.log(1 + n / Math.max(1, postings[0]));
      if (weight >= 0.85) strongDf = Math.max(strongDf, postings[0]);  // (not a completion)
      df = Math.max(df, postings[0]);
      /* whole when it lists every page that says the key (postings are per section: a list of
         100 sections cut from more can hold fewer pages than the key's page count) */
      var listed = {}, pagesListed = 0;
      for (var j = 1; j < postings.length; j += 2) {
        var pg = Math.floor(postings[j] / 256);
        if (!listed[pg]) { listed[pg] = 1; pagesListed++; }
      }
      if (pagesListed < postings[0]) complete = false;
      for (var i = 1; i < postings.length; i += 2) {
        var score = weight * postings[i + 1] * idf;
        if (!(hits[postings[i]] >= score)) hits[postings[i]] = score;
        quality[postings[i]] = 1;
        if (!(field[postings[i]] >= postings[i + 1])) field[postings[i]] = postings[i + 1];
      }
      found = true;
    }
    var main = loaded[shardOf(f)] || {};
    var flen = Array.from(f).length;
    /* a word the help center never says, whose every completion is a stop word ("могу" ->
       "могут"), is one too */
    var plainWords = 0, plainStops = 0;
    function plainStop(body) { plainWords++; if (main["!" + body] === 1) plainStops++; }
    for (var key in main) {
      var kind = "=~-!^".indexOf(key[0]) >= 0 ? key[0] : "", body = kind ? key.slice(1) : key;
      if (kind === "-" || kind === "!" || kind === "^") continue;
      var blen = Array.from(body).length;
      /* the same spelling first, but only just: in a stemmed language the stem is what
         matches inflected titles ("счёт" / "Отправка первого счёта") */
      if (kind === "=") { if (body === f + "|" + x) add(main[key], 1.15); }
      else if (kind === "" && body === f) {
        add(main[key], 1.0); roots.push({ text: f, whole: true }); plainStop(body);
      }
      else if (term.cjk) continue;
      else if (kind === "" && flen >= 3 && body.indexOf(f) === 0) {  // typing: words it begins
        add(main[key], 0.6 * Math.sqrt(flen / blen)); roots.push({ text: body, whole: true }); plainStop(body);
      } else if (kind === "~" && blen >= 3 && blen >= flen - 4 && (blen >= 4 || flen - blen <= 2) &&
                 stemOf(body, f, turkic)) {  // ("pay" is no stem of "payroll")
        add(main[key], 0.9); roots.push({ text: body.indexOf(f) === 0 ? f : body });
      } else if (kind === "" && blen >= typoLength(f) - 1 && blen < flen && blen >= flen - 3 && stemOf(body, f, turkic)) {
        add(main[key], 0.85); roots.push({ text: body, whole: true });  // the base form ("аккаунт")
      }
    }
    /* the same stem: where Snowball changed letters ("eroare" / "erori": "eror"), the word names
       its stem (same first three letters, so the same shard) */
    var named = main["^" + f], home = typeof named === "string" ? loaded[shardOf(named)] || {} : {};
    if (typeof named === "string" && home["~" + named] && !term.cjk) {
      add(home["~" + named], 0.9); roots.push({ text: named });
    }
    /* how specific the word is: the pages that say it, its inflections or its base form (a rare
       spelling of a common stem is a common word; completions count only when nothing else matched) */
    return { hits: hits, quality: quality, field: field, roots: roots, found: found, complete: complete,
             said: Array.isArray(main[f]),
             stop: main["!" + f] === 1 || (plainWords > 0 && plainStops === plainWords),
             idf: found ? Math.log(1 + n / Math.max(1, strongDf || df)) : 0 };
  }

  function typoWords(term, loaded) {
    var f = term.f, words = {};
    var main = loaded[shardOf(f)] || {};
    for (var key in main)
      if ("=~-!^".indexOf(key[0]) < 0 && distance1(f, key)) words[key] = 1;
    (main["-" + f] || []).forEach(function (w) { words[w] = 1; });
    deletions(f).forEach(function (d) {
      var s = loaded[shardOf(d)] || {};
      if (s[d] && "=~-!^".indexOf(d[0]) < 0) words[d] = 1;
      (s["-" + d] || []).forEach(function (w) { if (distance1(f, w)) words[w] = 1; });
    });
    delete words[f];
    /* one letter short of the least: only a word that starts the same ("счот" / "счет", never "iade" / "vade") */
    if (Array.from(f).length < typoLength(f))
      Object.keys(words).forEach(function (w) { if (Array.from(w).slice(0, 2).join("") !== Array.from(f).slice(0, 2).join("")) delete words[w]; });
    return Object.keys(words);
  }

  function loadShards(numbers, loaded) {
    var todo = numbers.filter(function (n) { return !(n in loaded); });
    return Promise.all(todo.map(function (n) {
      return shard(n).then(function (data) { loaded[n] = data; });
    })).then(function () { return loaded; });
  }

  function search(query, limit) {
    var lang = meta.lang, seen = {}, terms = [];
    tokens(query).forEach(function (token) {
      words(token).forEach(function (word) {
        var f = fold(word, lang), cjk = IS_CJK.test(word);
        if (!seen[f]) {
          seen[f] = 1;
          terms.push({ word: cjk ? token : word, f: f, x: lower(word, lang), cjk: cjk });
        }
      });
      /* a katakana run is one (loan)word: ビットコイン is bitcoin, not its bigrams ット and イン */
      (token.match(KATAKANA) || []).forEach(function (run) {
        var grams = words(run), id = run;
        terms.forEach(function (t) { if (t.cjk && !t.run && grams.indexOf(t.f) >= 0) t.run = id; });
      });
    });
    if (!terms.length) return Promise.resolve({ items: [], suggest: [] });
    var loaded = {};
    return loadShards(terms.map(function (t) { return shardOf(t.f); }), loaded).then(function () {
      /* a stem the index names can live in another shard (Arabic: الحساب -> حساب, without the
         article, as the index also lists the word): fetched too, so the query matches every form */
      var named = [];
      terms.forEach(function (t) {
        var stem = (loaded[shardOf(t.f)] || {})["^" + t.f];
        if (typeof stem === "string" && !t.cjk) named.push(shardOf(stem));
      });
      return loadShards(named, loaded);
    }).then(function () {
      var matches = terms.map(function (t) { return matchTerm(t, loaded); });
      var anyFound = matches.some(function (m) { return m.found; });
      var typo = terms.map(function (t, i) {
        var len = Array.from(t.f).length;
        var least = typoLength(t.f);
        /* (a stop word is a known form, said or not: "didnt" is never corrected to another word) */
        return !t.cjk && !matches[i].found && !matches[i].stop &&
          (len >= least || (len === least - 1 && !anyFound && !ABJAD.test(t.f)));
      });
      /* the shards of the word less one of its first letters: only for a word found nowhere */
      var lookups = [];
      terms.forEach(function (t, i) { if (typo[i]) deletions(t.f).forEach(function (d) { lookups.push(shardOf(d)); }); });
      return loadShards(lookups, loaded).then(function () { return [matches, typo]; });
    }).then(function (found) {
      var matches = found[0];
      var typos = terms.map(function (t, i) { return found[1][i] ? typoWords(t, loaded) : []; });
      var extra = [].concat.apply([], typos).map(shardOf);
      return loadShards(extra, loaded).then(function () {
        /* a corrected word matches as if typed (its inflections through the stem too), lower */
        var corrected = null;
        typos.forEach(function (candidates, i) {
          var best = null, bestDf = -1;
          candidates.forEach(function (w) {
            var fixed = matchTerm({ f: w, x: "" }, loaded);
            for (var code in fixed.hits) {
              var score = 0.45 * fixed.hits[code], sure = SURE_TYPO * fixed.quality[code];
              if (!(matches[i].hits[code] >= score)) matches[i].hits[code] = score;
              if (!(matches[i].quality[code] >= sure)) matches[i].quality[code] = sure;
              if (!(matches[i].field[code] >= fixed.field[code])) matches[i].field[code] = fixed.field[code];
            }
            matches[i].roots = matches[i].roots.concat(fixed.roots);
            matches[i].complete = matches[i].complete && fixed.complete;
            matches[i].idf = Math.max(matches[i].idf, fixed.idf);
            var df = (loaded[shardOf(w)] || {})[w];
            df = df ? df[0] : 0;
            if (fixed.found) { matches[i].found = true; if (df > bestDf) { best = w; bestDf = df; } }
          });
          if (best) { corrected = corrected || terms.map(function (t) { return t.word; }); corrected[i] = best; }
        });
        return assemble(terms, matches, limit || 10, corrected && corrected.join(" "), loaded);
      });
    });
  }

  function assemble(terms, matches, limit, corrected, loaded) {
    var pages = {};
    /* Stop words ("mi", "как", "не") weigh little and never count as missing, unless the query
       has nothing else. */
    /* (a bigram with hiragana in it is mostly grammar: できない, を送; it weighs as a stop word) */
    var content = matches.map(function (m, i) { return !m.stop && !(terms[i].cjk && /[\u3040-\u309f]/.test(terms[i].f)); });
    if (!content.some(Boolean)) content = matches.map(function () { return true; });
    /* bigrams across a word boundary (无法同步 -> 法同) are in no page: a third is enough there */
    var cjk = terms.some(function (t) { return t.cjk; });
    matches.forEach(function (m, i) {
      for (var code in m.hits) {
        var p = Math.floor(code / 256), s = code % 256, page = pages[p];
        if (!page) page = pages[p] = { p: p, best: {}, sum: {}, sure: {}, titledBy: {}, sections: {}, score: 0 };
        page.best[i] = Math.max(page.best[i] || 0, m.hits[code]);
        page.sure[i] = Math.max(page.sure[i] || 0, m.quality[code] || 0);
        if (content[i] && (m.field[code] || 0) >= TITLED) page.titledBy[i] = true;
        page.sum[i] = (page.sum[i] || 0) + m.hits[code];
        var sec = page.sections[s] || (page.sections[s] = { score: 0, terms: {} });
        sec.score += m.hits[code];
        sec.terms[i] = true;
      }
    });
    /* What each word of the query says: its idf (from the pages that say it, its stem or base
       form). A word found nowhere may be what the reader asks about ("bitcoin" in "pay with
       bitcoin") or a synonym the help center does not use ("квитанции" where it says "чеки"): it
       weighs as a word in one page of ten, so a page that has the query's other words answers
       only if they are specific ones (and, lacking this one, says one of them in its title). */
    var mass = matches.map(function (m, i) {
      if (!content[i]) return 0;
      if (m.found) return Math.max(m.idf, 0.1);
      return (terms[i].cjk ? 0.5 : 1) * ABSENT;  // (a bigram across two words is in no page)
    });
    var total = mass.reduce(function (a, b) { return a + b; }, 0);
    /* One list, by score: a page's words (its best section each, plus a little for each other
       section that has them), times the share of the query's meaning it covers (a corrected
       word counts 70%); pages shown in English weigh a little less than the reader's own. A
       page must cover 40% of it (a third with Chinese/Japanese bigrams, which cross word
       boundaries), and a page that lacks one of the query's words must say another in its
       title: less is not an answer ("import" said in passing is no answer to "import from
       quickbooks"), and saying so beats five confident unrelated articles. (Not squared: a page
       that says half the query in its title outranks one that says all of it in passing.) */
    /* a page that has fewer than half of a katakana word's bigrams does not say that word */
    var runs = {};
    terms.forEach(function (t, i) { if (t.run) (runs[t.run] = runs[t.run] || []).push(i); });
    var ranked = Object.keys(pages).map(function (p) {
      var page = pages[p];
      Object.keys(runs).forEach(function (run) {
        var held = runs[run].filter(function (i) { return i in page.best; });
        if (2 * held.length < runs[run].length)
          held.forEach(function (i) { delete page.best[i]; delete page.sum[i]; delete page.titledBy[i]; });
      });
      page.titled = Object.keys(page.titledBy).length > 0;
      page.covered = Object.keys(page.best).filter(function (i) { return content[i]; }).length;
      var share = Object.keys(page.best).reduce(function (sum, i) { return sum + mass[i] * page.sure[i]; }, 0) / total;
      var raw = Object.keys(page.best).reduce(function (sum, i) {
        return sum + (content[i] ? 1 : 0.15) * (page.best[i] + 0.3 * (page.sum[i] - page.best[i]));
      }, 0);
      page.share = share;
      page.whole = page.covered === content.filter(Boolean).length;
      page.score = raw * share * (page.p >= meta.en_from ? 0.85 : 1);
      return page;
    }).filter(function (page) {
      return page.covered > 0 && page.share >= (cjk ? 0.33 : 0.4) - 1e-9 && (page.whole || page.titled);
    })
      .sort(function (a, b) { return b.score - a.score || a.p - b.p; });
    var roots = [].concat.apply([], matches.map(function (m) { return m.roots; }));
    var chosen = ranked.slice(0, limit);
    var frags = [];
    return Promise.all(chosen.map(function (page) { return fragment(page.p); })).then(function (got) {
      frags = got;
      /* the lists that prove a shown page lacks a word it did not match (often the same shard) */
      var wanted = [];
      matches.forEach(function (m, i) {
        if (content[i] && m.said && chosen.some(function (page) { return !page.best[i]; }))
          wanted = wanted.concat(evidenceShards(terms[i], loaded));
      });
      return loadShards(wanted, loaded);
    }).then(function () {
      var items = chosen.map(function (page, k) {
        return render(page, frags[k] || {}, terms, matches, content, roots, page.p >= meta.en_from, loaded);
      }).filter(Boolean);
      var query = terms.map(function (t) { return t.word; });
      return { items: items, suggest: [],
               helpglot: { query: query.filter(function (w, i) { return query.indexOf(w) === i; }).join(" "),
                           corrected: corrected, total: ranked.length, shown: items.length } };
    });
  }

  /* Material's "Missing: ..." line: a word is missing only when the page truly lacks it in any
     form. The browser runs no stemmer, so that is proved only for a word the help center says
     (a word it never says, "creando" where pages say "crear", may be another form of one a
     page says: never missing). A said word's stem is one of its prefixes, or the index names it
     (^word: Snowball changed letters); the page lacks the word when it is in none of the lists
     of the word, its prefixes (as words and as stems) and its named stem, every one of them
     whole (a list cut to its best postings proves nothing), and not in what the fragment says.
     (Prefixes that are not the stem only make the proof stricter: fewer "missing" lines.) */
  function evidence(term, loaded) {
    var chars = Array.from(term.f), keys = [];
    if (term.cjk) return [term.f];  // (a bigram has no other form)
    for (var k = Math.min(3, chars.length); k <= chars.length; k++) {
      var p = chars.slice(0, k).join("");
      keys.push(p, "~" + p);
    }
    var named = (loaded[shardOf(term.f)] || {})["^" + term.f];
    if (typeof named === "string") keys.push(named, "~" + named);
    return keys;
  }
  function evidenceShards(term, loaded) {
    return evidence(term, loaded).map(function (key) { return shardOf(key.replace(/^~/, "")); });
  }
  function lacks(term, p, loaded) {
    return evidence(term, loaded).every(function (key) {
      var n = shardOf(key.replace(/^~/, ""));
      if (!(n in loaded)) return false;  // (not fetched: nothing proved)
      var postings = loaded[n][key];
      if (!Array.isArray(postings)) return true;
      var listed = {}, pages = 0, here = false;
      for (var j = 1; j < postings.length; j += 2) {
        var pg = Math.floor(postings[j] / 256);
        if (pg === p) here = true;
        if (!listed[pg]) { listed[pg] = 1; pages++; }
      }
      return !here && pages >= postings[0];
    });
  }
  function termsOf(terms, page, matches, content, said, loaded) {
    var out = {};
    terms.forEach(function (t, i) {
      if (!content[i]) return;
      var present = !!page.best[i] || !matches[i].said || !!said[t.f] || !lacks(t, page.p, loaded);
      out[t.word] = out[t.word] || present;
    });
    return out;
  }

  function render(page, frag, terms, matches, content, roots, english, loaded) {
    if (!frag.l && frag.l !== "") return null;
    var lang = english ? meta.en : meta.lang, said = {};
    words([frag.t, frag.x].concat((frag.s || []).map(function (s) { return s[1] + " " + s[2]; })).join(" "))
      .forEach(function (w) { said[fold(w, meta.lang)] = 1; });
    function title(text) {
      var html = highlight(text, roots, lang);
      return english ? '<span lang="en" dir="ltr" data-helpglot-english="' + escapeHTML(meta.english) + '">' + html + "</span>" : html;
    }
    function text(value) {
      var html = highlight(value, roots, lang);
      return english ? '<p lang="en" dir="ltr">' + html + "</p>" : "<p>" + html + "</p>";
    }
    var top = Math.max(page.score, 0.001);
    var items = [{ location: frag.l, title: title(frag.t), text: text(frag.x), score: top,
                   terms: termsOf(terms, page, matches, content, said, loaded) }];
    Object.keys(page.sections).map(Number)
      .filter(function (s) {
        return s > 0 && frag.s[s - 1] && Object.keys(page.sections[s].terms).filter(function (i) { return content[i]; }).length >= page.covered;
      })
      .sort(function (a, b) { return page.sections[b].score - page.sections[a].score; })
      .slice(0, 5)
      .forEach(function (s) {
        var sec = frag.s[s - 1];
        items.push({ location: sec[0].charAt(0) === "#" ? frag.l + sec[0] : sec[0], title: title(sec[1]), text: text(sec[2]),
                     score: Math.min(page.sections[s].score, top * 0.99),
                     terms: termsOf(terms, page, matches, content, said, loaded) });  // (the page's words)
      });
    return items;
  }

  function chunked(message) {
    if (message.type === SETUP) {
      meta = message.data.config.helpglot;
      arabic = meta.lang.split("-")[0] === "ar";
      base = new URL(meta.path, new URL("../../../", self.location.href));
      post({ type: READY });
    } else if (message.type === QUERY) {
      var id = ++latest;
      search(String(message.data || ""), Math.min(Number(message.limit) || 10, 200)).then(function (result) {
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
