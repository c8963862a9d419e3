// Keep the stand screen current: poll the small state document, re-draw only when it changed,
// fit what is shown to the screen, and say so when the server stops answering.
(function () {
  "use strict";
  const body = document.body;
  const url = body.dataset.stateUrl;
  const every = Number(body.dataset.pollMs) || 1000;
  const STALE_AFTER = 2; // failed polls in a row (about two seconds) before the screen says so
  let etag = body.dataset.etag ? '"' + body.dataset.etag + '"' : "";
  let failures = 0;
  let lastClock = document.getElementById("clock").textContent;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function sessions(list, items, empty) {
    if (!items.length) { list.replaceChildren(el("li", "empty", empty)); return; }
    list.replaceChildren(...items.map(function (s) {
      const li = el("li", "session" + (s.cancelled ? " cancelled" : ""));
      li.append(el("span", "title", (s.cancelled ? "Cancelled: " : "") + s.title));
      const meta = [s.time, s.room, s.presenter].filter(Boolean).join(" · ");
      li.append(el("span", "meta", meta));
      return li;
    }));
  }

  function devices(list, items) {
    list.toggleAttribute("data-many", items.length > 5);
    if (!items.length) { list.replaceChildren(el("li", "empty", "No devices")); return; }
    list.replaceChildren(...items.map(function (d) {
      const li = el("li", "device");
      li.dataset.state = d.state;
      li.append(el("span", "name", d.name), " ", el("span", "state", d.label));
      return li;
    }));
  }

  // --- fitting: no scrolling, whatever the programme ------------------------------------

  const columns = [".programme", ".devices", ".ended"].map((s) => document.querySelector(s));

  function clipped() {
    const doc = document.documentElement;
    if (doc.scrollHeight > window.innerHeight || doc.scrollWidth > window.innerWidth) return true;
    return columns.some((c) => c && !c.hidden && c.scrollHeight > c.clientHeight + 1);
  }

  // Show the first items of `list`, and "and N more" for the rest, until nothing is clipped
  // or only `keep` are left.
  function shrink(list, selector, keep, what) {
    const items = [...list.querySelectorAll(selector)];
    let shown = items.length;
    while (shown > keep && clipped()) {
      shown -= 1;
      items[shown].hidden = true;
      let more = list.querySelector(".more");
      if (!more) { more = el("li", "more"); list.append(more); }
      more.textContent = "and " + (items.length - shown) + " more" + what;
    }
  }

  function fit() {
    body.classList.remove("tight");
    document.querySelectorAll(".more").forEach((m) => m.remove());
    document.querySelectorAll("li[hidden]").forEach((li) => { li.hidden = false; });
    const onNow = document.getElementById("on-now");
    const next = document.getElementById("next");
    shrink(next, ".session", 1, "");
    shrink(onNow, ".session", 1, " on now");
    if (clipped()) {
      body.classList.add("tight"); // one line per title before anything else goes
      document.querySelectorAll(".more").forEach((m) => m.remove());
      document.querySelectorAll("li[hidden]").forEach((li) => { li.hidden = false; });
      shrink(next, ".session", 1, "");
      shrink(onNow, ".session", 1, " on now");
    }
    shrink(document.getElementById("devices"), ".device", 0, " devices");
  }

  function draw(s) {
    document.getElementById("day").textContent = s.day;
    document.getElementById("clock").textContent = s.clock;
    lastClock = s.clock;
    sessions(document.getElementById("on-now"), s.on_now, "Nothing on right now");
    sessions(document.getElementById("next"), s.next, "No more sessions");
    document.getElementById("next-day").textContent = s.next_day ? " · " + s.next_day : "";
    document.getElementById("programme-note").hidden = s.programme === "ok";
    document.getElementById("programme").hidden = !!s.ended;
    document.getElementById("ended").hidden = !s.ended;
    devices(document.getElementById("devices"), s.devices);
    const feedback = document.getElementById("feedback");
    feedback.hidden = !s.feedback;
    feedback.querySelectorAll(".feedback-title").forEach(function (t) {
      t.textContent = s.feedback || "";
    });
    fit();
  }

  // --- not updating ------------------------------------------------------------------------

  function showConnection() {
    const stale = failures >= STALE_AFTER;
    if (stale === body.hasAttribute("data-stale")) return;
    body.toggleAttribute("data-stale", stale);
    document.getElementById("connection").textContent =
      stale ? "Not updating — last update " + lastClock : "";
    const note = document.getElementById("devices-stale");
    note.textContent = stale ? " · as at " + lastClock : "";
    note.hidden = !stale;
    fit();
  }

  async function poll() {
    const started = performance.now();
    try {
      const response = await fetch(url, {
        cache: "no-store",
        headers: etag ? { "If-None-Match": etag } : {},
      });
      if (response.status === 200) {
        const state = await response.json();
        etag = response.headers.get("ETag") || "";
        draw(state);
      } else if (response.status !== 304) {
        throw new Error("HTTP " + response.status);
      }
      failures = 0;
    } catch (error) {
      failures += 1;
    }
    showConnection();
    // A steady cadence measured from the start of this poll; back off while the server is away.
    const wait = failures ? Math.min(every * (1 + failures), 10000) : every;
    setTimeout(poll, Math.max(0, wait - (performance.now() - started)));
  }

  fit();
  if (document.fonts) document.fonts.ready.then(fit);
  window.addEventListener("resize", fit);
  setTimeout(poll, every);
})();
