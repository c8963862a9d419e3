// Keep the stand screen current: poll the small state document, re-draw only when it changed.
(function () {
  "use strict";
  const body = document.body;
  const url = body.dataset.stateUrl;
  const every = Number(body.dataset.pollMs) || 1000;
  let etag = body.dataset.etag ? '"' + body.dataset.etag + '"' : "";
  let failures = 0;

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

  function draw(s) {
    document.getElementById("day").textContent = s.day;
    document.getElementById("clock").textContent = s.clock;
    sessions(document.getElementById("on-now"), s.on_now, "Nothing on right now");
    sessions(document.getElementById("next"), s.next, "No more sessions");
    document.getElementById("next-day").textContent = s.next_day ? " · " + s.next_day : "";
    document.getElementById("programme-note").hidden = s.programme === "ok";
    devices(document.getElementById("devices"), s.devices);
    const feedback = document.getElementById("feedback");
    feedback.hidden = !s.feedback;
    feedback.querySelectorAll(".feedback-title").forEach(function (t) {
      t.textContent = s.feedback || "";
    });
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
    document.getElementById("connection").hidden = failures < 3;
    // A steady cadence measured from the start of this poll; back off while the server is away.
    const wait = failures ? Math.min(every * (1 + failures), 10000) : every;
    setTimeout(poll, Math.max(0, wait - (performance.now() - started)));
  }

  setTimeout(poll, every);
})();
