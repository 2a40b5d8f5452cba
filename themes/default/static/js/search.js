// opsite search page: runs the query of the box (or of `?q=`) against the Pagefind index in
// pagefind/, with the same folding the index was built with (src/search/fold.rs), and lists the
// results with their section and an excerpt. A classic script, so that opened from a file the
// page can still say why there are no results (browsers refuse module imports from file://), or,
// with `search_file_share: true`, search the file-share index a plain script brings.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var more = document.getElementById("search-more");
  if (!form || !input || !list || !status) return;
  var selects = Array.prototype.slice.call(document.querySelectorAll("#search-filters select[data-filter]"));
  var PAGE = 10;
  // The site root: the search page lives at <root>search/.
  var root = new URL("../", form.action);
  var fromFile = location.protocol === "file:";

  // --- folding: the width rule of src/search/fold.rs, which the index was built with ---
  var WIDTH = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF61-\uFF9F]+/g;
  function fold(text) {
    return text.replace(WIDTH, function (m) { return m.normalize("NFKC"); });
  }
  window.opsiteSearchFold = fold;

  // The long vowel: pages write サーバ or サーバー. A katakana word ending in ー after three or
  // more morae is also searched without it (Pagefind's prefix match finds サーバー from サーバ).
  var KATAKANA = /[\u30A1-\u30FA\u30FC]+/g;
  var SMALL = /[\u30A1\u30A3\u30A5\u30A7\u30A9\u30E3\u30E5\u30E7\u30EE\u30F5\u30F6]/g;
  function withoutLongVowels(text) {
    return text.replace(KATAKANA, function (word) {
      if (word.charAt(word.length - 1) !== "\u30FC") return word;
      var stem = word.slice(0, -1);
      var morae = stem.length - (stem.match(SMALL) || []).length;
      return morae >= 3 ? stem : word;
    });
  }
  function spellings(term) {
    var short = withoutLongVowels(term);
    return short === term ? [term] : [term, short];
  }

  // Run every spelling and merge the results by page, best score first.
  function searchAll(pf, term, filters) {
    var terms = term ? spellings(term) : [null];
    return Promise.all(terms.map(function (t) { return pf.search(t, { filters: filters }); })).then(function (all) {
      var best = {};
      all.forEach(function (search) {
        search.results.forEach(function (r) {
          if (!best[r.id] || best[r.id].score < r.score) best[r.id] = r;
        });
      });
      return Object.keys(best).map(function (k) { return best[k]; }).sort(function (a, b) { return b.score - a.score; });
    });
  }

  function say(text) { status.textContent = text; }
  function template(name, values) {
    var t = status.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (k) { t = t.split("{" + k + "}").join(values[k]); });
    return t;
  }

  // An excerpt is the page's text escaped as HTML (`&amp;`, `&lt;`, `&gt;`; the vendored
  // Pagefind escapes `&` too, vendor/pagefind/OPSITE.md 11): decoded once, it is the text.
  function decode(text) {
    var t = document.createElement("textarea");
    t.innerHTML = text; // a textarea's content is text: no element is ever made
    return t.value;
  }

  // Pagefind ends a block that has no closing punctuation with ". " (a heading, a table cell):
  // after Japanese and before Japanese or a digit (or at the excerpt's end, marks around either
  // side allowed) it reads as 。, as Japanese text is written; an author's ". " before English
  // stays. Only what is shown changes.
  var JAPANESE = "\u3005\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u9fff\uff10-\uff5a\uff66-\uff9f";
  var BLOCK_END = new RegExp("([" + JAPANESE + "](?:</mark>)?)\\.(?: (?=(?:<mark>)?[0-9" + JAPANESE + "「『（])|$)", "g");
  function japaneseStops(excerpt) {
    return excerpt.replace(BLOCK_END, "$1。");
  }

  // An excerpt is text with <mark> around the matches: rebuild it from text nodes only.
  function excerptNode(excerpt) {
    var p = document.createElement("p");
    p.className = "search-excerpt";
    var parts = japaneseStops(String(excerpt || "")).split(/(<mark>|<\/mark>)/);
    var marked = false;
    parts.forEach(function (part) {
      if (part === "<mark>") { marked = true; return; }
      if (part === "</mark>") { marked = false; return; }
      if (!part) return;
      var text = document.createTextNode(decode(part));
      if (marked) {
        var m = document.createElement("mark");
        m.appendChild(text);
        p.appendChild(m);
      } else {
        p.appendChild(text);
      }
    });
    return p;
  }

  function href(url) {
    // The index gives site paths (a whole http(s) address is kept as it is); a site path gets
    // "./" first, so a page at /javascript:x/ stays a path under the root, never a scheme.
    var s = String(url);
    var u = /^https?:\/\//i.test(s) ? new URL(s) : new URL("./" + s.replace(/^\//, ""), root);
    if (fromFile && /\/$/.test(u.pathname)) u.pathname += "index.html";
    return u.href;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "search-result";
    var a = document.createElement("a");
    a.href = href(data.url);
    a.textContent = (data.meta && data.meta.title) || data.url;
    var h = document.createElement("h2");
    h.appendChild(a);
    li.appendChild(h);
    if (data.meta && data.meta.section) {
      var s = document.createElement("span");
      s.className = "search-section";
      s.textContent = data.meta.section;
      li.appendChild(s);
    }
    // The page's own excerpt when it has matches before its first heading, or no headings'
    // (the headings' excerpts would repeat it).
    var subs = (data.sub_results || []).filter(function (s) {
      return s.url && s.url !== data.url && String(s.url).indexOf("#") > 0;
    });
    if (subs.length === (data.sub_results || []).length && subs.length) {
      li.appendChild(subResults(subs));
    } else {
      li.appendChild(excerptNode(data.excerpt));
      if (subs.length) li.appendChild(subResults(subs));
    }
    return li;
  }

  // The headings a page's matches are under, as Pagefind finds them: up to three, each linking
  // to its heading with its own excerpt.
  function subResults(subs) {
    subs = subs.slice(0, 3);
    var ul = document.createElement("ul");
    ul.className = "search-subresults";
    subs.forEach(function (s) {
      var sli = document.createElement("li");
      var a = document.createElement("a");
      a.href = href(s.url);
      a.textContent = s.title || s.url;
      sli.appendChild(a);
      sli.appendChild(excerptNode(s.excerpt));
      ul.appendChild(sli);
    });
    return ul;
  }

  // --- opened from a file: the file-share index (search_file_share), a classic script ---
  function escapeHtml(t) {
    return t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  // A query's parts, each of which a page must hold: words apart at spaces, Latin letters
  // and digits apart from Japanese (DB接続 is DB and 接続), and Japanese split into words by the
  // browser's segmenter (接続手順 is 接続 and 手順), as Pagefind splits them.
  // Punctuation (「」、！？・,) parts words and is not searched for.
  var WORDS = typeof Intl !== "undefined" && Intl.Segmenter
    ? new Intl.Segmenter("ja", { granularity: "word" }) : null;
  function words(run) {
    if (!WORDS || /^[a-z0-9]+$/.test(run)) return [run];
    var found = [];
    for (var s of WORDS.segment(run)) if (s.isWordLike) found.push(s.segment);
    return found.length ? found : [run];
  }
  function parts(term) {
    return (term.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []).reduce(function (all, w) {
      return all.concat((w.match(/[a-z0-9]+|[^a-z0-9]+/g) || []).reduce(function (ws, run) {
        return ws.concat(words(run));
      }, []));
    }, []);
  }
  function occurrences(text, part) {
    var n = 0;
    for (var at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length)) n++;
    return n;
  }
  // Text around the first match, the match marked, as Pagefind's excerpts are.
  function excerptOf(text, ps) {
    var lower = text.toLowerCase();
    var at = ps.length ? lower.indexOf(ps[0]) : 0;
    if (at < 0) at = 0;
    var from = Math.max(0, at - 30);
    var len = ps.length ? ps[0].length : 0;
    return (from > 0 ? "…" : "") + escapeHtml(text.slice(from, at)) + "<mark>" +
      escapeHtml(text.slice(at, at + len)) + "</mark>" + escapeHtml(text.slice(at + len, at + len + 70)) + "…";
  }
  function offlineEngine(entries) {
    var lower = entries.map(function (e) { return (e.t + " " + e.x).toLowerCase(); });
    // The section is a filter as in Pagefind's index; the other filters are the page's terms.
    function values(e, k) {
      if (k === "section") return e.s ? [e.s] : [];
      return (e.f && e.f[k]) || [];
    }
    function wanted(e, filters) {
      return Object.keys(filters).every(function (k) { return values(e, k).indexOf(filters[k]) >= 0; });
    }
    return {
      search: function (term, opts) {
        var filters = (opts && opts.filters) || {};
        var ps = term ? parts(term) : [];
        // A word found in no page is left out rather than emptying the results (as Pagefind
        // does); a query of punctuation alone finds nothing.
        var found = ps.filter(function (p) { return lower.some(function (t) { return t.indexOf(p) >= 0; }); });
        if (term && !found.length) return Promise.resolve({ results: [] });
        ps = found;
        var results = [];
        entries.forEach(function (e, i) {
          if (!wanted(e, filters)) return;
          // Each part counts up to five times (a long report does not bury a short page), and
          // a page whose title holds every part comes first.
          var score = 0;
          for (var j = 0; j < ps.length; j++) {
            var n = occurrences(lower[i], ps[j]);
            if (!n) return;
            score += Math.min(n, 5);
          }
          var title = fold(e.t).toLowerCase();
          if (ps.length && ps.every(function (p) { return title.indexOf(p) >= 0; })) score += 100;
          results.push({ id: String(i), score: score || 1, data: function () {
            return Promise.resolve({ url: e.u, meta: { title: e.t, section: e.s }, excerpt: excerptOf(e.x, ps) });
          } });
        });
        return Promise.resolve({ results: results });
      },
      filters: function () {
        var all = {};
        entries.forEach(function (e) {
          Object.keys(e.f || {}).concat(e.s ? ["section"] : []).forEach(function (k) {
            all[k] = all[k] || {};
            values(e, k).forEach(function (v) { all[k][v] = (all[k][v] || 0) + 1; });
          });
        });
        return Promise.resolve(all);
      }
    };
  }
  function loadOffline() {
    return new Promise(function (ok, fail) {
      var s = document.createElement("script");
      s.src = new URL("pagefind/opsite-offline.js", root).href;
      s.onload = function () {
        if (window.opsiteOfflineIndex) ok(offlineEngine(window.opsiteOfflineIndex));
        else fail(new Error("no file-share index"));
      };
      s.onerror = fail;
      document.head.appendChild(s);
    });
  }

  var loading = null;
  function load() {
    if (!loading && fromFile) loading = loadOffline();
    if (!loading) {
      var bundle = new URL("pagefind/", root);
      loading = import(new URL("pagefind.js", bundle).href).then(function (pf) {
        // Result URLs are the site paths the index holds; href() puts the site's root in front.
        return pf.options({ excerptLength: 24, baseUrl: "/" })
          // Large sites are indexed in shards (src/search/bundle.rs): merge the others.
          // Not from a cache: the shards' folders are renamed when their pages change, so a
          // list kept from before a publish names folders that are gone (Pagefind asks for its
          // own entry file the same way).
          .then(function () { return fetch(new URL("opsite-shards.json?ts=" + Date.now(), bundle)); })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (extra) {
            // Each shard's results as site paths, as the first one's: left to itself, Pagefind
            // puts the folder above the shard's `pagefind/` in front, and href() the root again
            // (/toho/toho/reports/… in a customer's edition).
            return Promise.all(extra.map(function (dir) {
              return pf.mergeIndex(new URL(dir, bundle).href, { baseUrl: "/" });
            }));
          })
          .then(function () { return pf.init(); })
          .then(function () { return pf; });
      });
    }
    return loading;
  }

  function chosenFilters() {
    var f = {};
    selects.forEach(function (s) { if (s.value) f[s.getAttribute("data-filter")] = s.value; });
    return f;
  }

  function fillFilters(pf) {
    if (!selects.length) return Promise.resolve();
    return pf.filters().then(function (all) {
      selects.forEach(function (s) {
        var name = s.getAttribute("data-filter");
        var values = all[name] || {};
        var keys = Object.keys(values).sort();
        if (!keys.length) { s.closest("label").hidden = true; return; }
        var wanted = new URLSearchParams(location.search).get(name) || s.value;
        keys.forEach(function (k) {
          var o = document.createElement("option");
          o.value = k;
          o.textContent = k + " (" + values[k] + ")";
          s.appendChild(o);
        });
        if (wanted && values[wanted] !== undefined) s.value = wanted;
      });
    });
  }

  var shown = [];
  var generation = 0;
  function showMore() {
    var mine = generation;
    var batch = shown.splice(0, PAGE);
    more.hidden = shown.length === 0;
    list.setAttribute("aria-busy", "true");
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (datas) {
      // A newer query cleared the list while these were loading: they are not its results.
      if (mine !== generation) return;
      datas.forEach(function (d) { list.appendChild(item(d)); });
      list.setAttribute("aria-busy", "false");
    });
  }

  function run(query, remember) {
    var term = fold(query.trim());
    var filters = chosenFilters();
    var mine = ++generation;
    if (remember) {
      var params = new URLSearchParams();
      if (query.trim()) params.set("q", query.trim());
      Object.keys(filters).forEach(function (k) { params.set(k, filters[k]); });
      var qs = params.toString();
      history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
    }
    if (!term && !Object.keys(filters).length) {
      list.textContent = "";
      more.hidden = true;
      say("");
      return Promise.resolve();
    }
    say(template("loading"));
    list.setAttribute("aria-busy", "true");
    return load().then(function (pf) {
      return searchAll(pf, term, filters);
    }).then(function (results) {
      if (mine !== generation) return;
      list.textContent = "";
      shown = results;
      if (!shown.length) {
        say(template("none", { q: query.trim() }));
        more.hidden = true;
        list.setAttribute("aria-busy", "false");
        return;
      }
      say(template("results", { n: String(shown.length) }));
      return showMore();
    }).catch(function () {
      if (mine !== generation) return;
      say(template(fromFile ? "needs-server" : "failed"));
      status.classList.add("search-error");
      list.setAttribute("aria-busy", "false");
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value, true); }, 150);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run(input.value, true);
  });
  selects.forEach(function (s) { s.addEventListener("change", function () { run(input.value, true); }); });
  if (more) more.addEventListener("click", showMore);

  var q = new URLSearchParams(location.search).get("q") || "";
  input.value = q;
  load().then(function (pf) {
    return fillFilters(pf).then(function () {
      if (q || Object.keys(chosenFilters()).length) return run(q, false);
    });
  }).catch(function () {
    say(template(fromFile ? "needs-server" : "failed"));
    status.classList.add("search-error");
  });
  if (q) say(template("loading"));
  input.focus();
})();
