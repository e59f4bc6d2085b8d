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

  /* Search: what the worker says besides Material's results (main.html hands its data.helpglot
     over as "helpglot-search-answer"): "showing results for" a corrected query; for a query nothing
     answers, that it is so, the contact link and the help center's first articles (never
     filler presented as results); past ten results, a button for all of them. Results from
     pages shown in English carry lang="en" and their badge (helpglot.css). */
  var ui = null;
  try { ui = JSON.parse((document.getElementById("helpglot-search-ui") || {}).textContent || "null"); } catch (e) { ui = null; }
  var searchInput = document.querySelector("input.md-search__input");
  function searchNotice(info) {
    var meta = document.querySelector(".md-search-result__meta");
    if (!ui || !meta) { return; }
    var box = document.querySelector(".helpglot-search-notice");
    if (!box) {
      box = document.createElement("div");
      box.className = "helpglot-search-notice";
      box.setAttribute("role", "status");
      meta.parentNode.insertBefore(box, meta.nextSibling);
    }
    box.textContent = "";
    box.hidden = true;
    if (!info || !searchInput || !searchInput.value.trim()) { return; }
    function para(text) {
      var p = document.createElement("p");
      p.textContent = text;
      box.appendChild(p);
      return p;
    }
    if (info.corrected && info.total) { para(ui.corrected.replace("{query}", info.corrected)); }
    if (!info.total) {
      para(ui.none.replace("{query}", info.query));
      if (ui.contact_url) {
        var contact = document.createElement("a");
        contact.href = ui.contact_url;
        contact.className = "md-button md-button--primary";
        contact.textContent = ui.contact;
        para("").appendChild(contact);
      }
      if (ui.popular && ui.popular.length) {
        para(ui.popular_title).className = "helpglot-search-notice__title";
        var list = document.createElement("ul");
        ui.popular.forEach(function (entry) {
          var item = document.createElement("li"), link = document.createElement("a");
          link.href = entry[1];
          link.textContent = entry[0];
          item.appendChild(link);
          list.appendChild(item);
        });
        box.appendChild(list);
      }
    }
    if (info.total > info.shown && window.helpglotSearchWorker) {
      var more = document.createElement("button");
      more.type = "button";
      more.className = "md-button";
      more.textContent = ui.more.replace("{count}", info.total);
      more.addEventListener("click", function () {
        window.helpglotSearchWorker.postMessage({ type: 2, data: searchInput.value, limit: info.total });
      });
      var list = document.querySelector(".md-search-result__list");
      var holder = document.createElement("p");
      holder.className = "helpglot-search-more";
      holder.appendChild(more);
      box.appendChild(holder);
      if (list) { list.parentNode.insertBefore(box, list.nextSibling); }
    } else if (box.previousSibling !== meta) {
      meta.parentNode.insertBefore(box, meta.nextSibling);
    }
    box.hidden = !box.childNodes.length;
  }
  document.addEventListener("helpglot-search-answer", function (event) {
    var info = event.detail;
    setTimeout(function () { searchNotice(info); }, 0);  // after Material renders the results
  });
  if (searchInput) {
    searchInput.addEventListener("input", function () { if (!searchInput.value.trim()) { searchNotice(null); } });
  }

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
        /* without feedback_url nothing is sent: no "thank you" (the form opens an e-mail) */
        if (endpoint) { send("").then(function () { done(true); }, function () { done(false); }); }
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
