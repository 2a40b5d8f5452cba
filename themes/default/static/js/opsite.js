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
