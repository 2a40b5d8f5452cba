// opsite default theme: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Highlight the table-of-contents entry of the heading in view.
  var toc = document.querySelector(".toc");
  if (!toc || !("IntersectionObserver" in window)) return;
  var links = {};
  toc.querySelectorAll("a[href^='#']").forEach(function (a) {
    links[decodeURIComponent(a.getAttribute("href").slice(1))] = a;
  });
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      if (!e.isIntersecting) return;
      Object.keys(links).forEach(function (k) { links[k].classList.remove("active"); });
      var a = links[e.target.id];
      if (a) a.classList.add("active");
    });
  }, { rootMargin: "0px 0px -70% 0px" });
  document.querySelectorAll(".prose h2[id], .prose h3[id]").forEach(function (h) { observer.observe(h); });
})();

(function () {
  "use strict";
  // A copy button on each code block, worded by the page (data-copy…: the site's words in its
  // language; a theme without them gets no button). The clipboard API needs a secure origin
  // (https, localhost, a file); an intranet server over plain http gets the older selection copy.
  var blocks = document.querySelectorAll("pre.code");
  var body = document.body;
  var words = {
    copy: body.getAttribute("data-copy"),
    copied: body.getAttribute("data-copied"),
    failed: body.getAttribute("data-copy-failed")
  };
  if (!blocks.length || !words.copy || !words.copied || !words.failed) return;
  var said = document.createElement("div");
  said.className = "visually-hidden";
  said.setAttribute("role", "status");
  body.appendChild(said);
  function bySelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "-1000px";
    body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    body.removeChild(area);
    return ok;
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return bySelection(text); });
    }
    return Promise.resolve(bySelection(text));
  }
  blocks.forEach(function (pre) {
    var code = pre.querySelector("code") || pre;
    var wrap = document.createElement("div");
    wrap.className = "code-block";
    pre.parentNode.insertBefore(wrap, pre);
    wrap.appendChild(pre);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-code";
    button.textContent = words.copy;
    wrap.appendChild(button);
    var timer;
    button.addEventListener("click", function () {
      // Without the block's last newline: a pasted command waits for Enter.
      copy(code.textContent.replace(/\r?\n$/, "")).then(function (ok) {
        var text = ok ? words.copied : words.failed;
        button.textContent = text;
        said.textContent = text;
        clearTimeout(timer);
        timer = setTimeout(function () { button.textContent = words.copy; }, 2000);
      });
    });
  });
})();

(function () {
  "use strict";
  // An on-call block is computed when the site is built: once the reader's clock passes the
  // instant it is valid until, its warning is shown (without script, the validity line says it).
  document.querySelectorAll(".oncall-figure[data-valid-until]").forEach(function (block) {
    var until = Date.parse(block.getAttribute("data-valid-until"));
    var stale = block.querySelector(".oncall-stale");
    if (!isNaN(until) && stale && Date.now() >= until) {
      stale.hidden = false;
      block.classList.add("oncall-expired");
    }
  });
})();
