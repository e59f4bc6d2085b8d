/* helpglot reader UI: hero/404 search boxes that open Material's search with the
   keyboard up on touch screens, a language selector that keeps the #section,
   and "Was this article helpful?". No framework: Material has no instant
   navigation with i18n, so every page load runs this once. */
(function () {
  "use strict";

  /* Search boxes (hero, 404): open Material's search and focus its input inside
     the same user gesture, which is what makes phones show the keyboard. */
  function openSearch(event) {
    if (event) { event.preventDefault(); }
    var toggle = document.getElementById("__search");
    var input = document.querySelector("input.md-search__input");
    if (toggle && !toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    if (input) { input.focus(); }
  }
  document.querySelectorAll("[data-helpglot-search]").forEach(function (box) {
    box.addEventListener("click", openSearch);
  });

  /* Language selector: same article, same #section. Runs in the capture phase,
     before Material's own handler (which would look the page up in sitemaps). */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.md-select__link[hreflang]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button) { return; }
    try { localStorage.setItem("helpglot.lang", link.getAttribute("hreflang")); } catch (e) { /* private mode */ }
    event.preventDefault();
    event.stopPropagation();
    location.href = link.href.split("#")[0] + location.hash;
  }, true);

  /* Material wraps each code block's copy button in an unnamed <nav>: many identical
     "navigation" landmarks for screen readers. They are toolbars, not navigation.
     And a table wider than a phone scrolls sideways in Material's wrapper: keyboard
     users can scroll it only if it can take the focus. */
  function unlandmark(root) {
    (root.querySelectorAll ? root.querySelectorAll("nav.md-code__nav") : []).forEach(function (nav) {
      nav.setAttribute("role", "none");
    });
    (root.querySelectorAll ? root.querySelectorAll(".md-typeset__scrollwrap, .md-typeset pre > code") : [])
      .forEach(function (wrap) {
        if (!wrap.hasAttribute("tabindex")) { wrap.setAttribute("tabindex", "0"); }
      });
  }
  unlandmark(document);
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) { if (node.nodeType === 1) { unlandmark(node.parentNode || node); } });
    });
  }).observe(document.body, { childList: true, subtree: true });

  /* Search: results from pages this language shows in English come last, marked lang="en"
     by helpglot's search worker; put the translated "Results in English" heading above them. */
  var resultList = document.querySelector(".md-search-result__list");
  function englishHeading() {
    var first = resultList.querySelector(".md-search-result__item [data-helpglot-english]");
    var heading = resultList.querySelector(".helpglot-search-english");
    var item = first && first.closest(".md-search-result__item");
    if (heading && (!item || heading.nextElementSibling !== item)) { heading.remove(); heading = null; }
    if (!item || heading) { return; }
    heading = document.createElement("li");
    heading.className = "helpglot-search-english";
    var title = document.createElement("h2");
    title.textContent = first.getAttribute("data-helpglot-english");
    heading.appendChild(title);
    resultList.insertBefore(heading, item);
  }
  if (resultList) { new MutationObserver(englishHeading).observe(resultList, { childList: true }); }

  /* Was this article helpful? */
  document.querySelectorAll("[data-helpglot-feedback]").forEach(function (box) {
    var endpoint = box.getAttribute("data-endpoint");
    var link = box.getAttribute("data-link");
    var form = box.querySelector("form");
    var thanks = box.querySelector(".helpglot-feedback__thanks");
    var error = box.querySelector(".helpglot-feedback__error");
    var helpful = null;

    function send(comment) {
      var body = JSON.stringify({
        page: box.getAttribute("data-page"), lang: box.getAttribute("data-lang"),
        url: location.pathname, helpful: helpful, comment: comment || ""
      });
      return fetch(endpoint, { method: "POST", headers: { "Content-Type": "application/json" }, body: body })
        .then(function (response) { if (!response.ok) { throw new Error(response.status); } });
    }
    function done(ok) {
      thanks.hidden = !ok;
      error.hidden = ok;
    }
    box.querySelectorAll("[data-helpful]").forEach(function (button) {
      button.addEventListener("click", function () {
        helpful = button.getAttribute("data-helpful") === "yes";
        box.querySelectorAll("[data-helpful]").forEach(function (other) {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        });
        form.hidden = false;
        if (endpoint) { send("").then(function () { done(true); }, function () { done(false); }); }
        else { done(true); }
      });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var comment = form.querySelector("textarea").value;
      if (endpoint) {
        send(comment).then(function () { done(true); form.hidden = true; }, function () { done(false); });
      } else if (link) {
        var verdict = helpful ? "yes" : "no";
        location.href = link.replace("HELPGLOT_VERDICT", encodeURIComponent(verdict))
          .replace("HELPGLOT_COMMENT", encodeURIComponent(comment));
      }
    });
  });
})();
