// Small conveniences on top of pages that work without scripts.
(function () {
  "use strict";

  // Error summaries take focus so keyboard and screen-reader users hear them first.
  const summary = document.querySelector("[data-focus-on-load]");
  if (summary) summary.focus();

  // Links in an error summary move focus to the field itself, not just scroll to it.
  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      const target = document.getElementById(link.hash.slice(1));
      if (!target) return;
      event.preventDefault();
      if (!target.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(target.tagName)) {
        target.setAttribute("tabindex", "-1");
      }
      target.scrollIntoView({ block: "center" });
      target.focus();
    });
  });

  // Say a file is too big before uploading it (the server refuses it anyway).
  document.querySelectorAll("form[data-upload-limit]").forEach(function (form) {
    const limit = Number(form.dataset.uploadLimit);
    const input = form.querySelector("input[type=file]");
    form.addEventListener("submit", function (event) {
      const file = input.files && input.files[0];
      if (!file || file.size <= limit) return;
      event.preventDefault();
      // The same error message as the server's (macros.html field()), above the input.
      let message = document.getElementById(input.id + "-error");
      if (!message) {
        message = document.createElement("p");
        message.className = "error-message";
        message.id = input.id + "-error";
        input.before(message);
        input.closest(".field").classList.add("field-error");
      }
      const hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = "Error:";
      message.replaceChildren(hidden, " Select a file smaller than 1 MB: " + file.name + " is larger.");
      input.setAttribute("aria-invalid", "true");
      const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (!described.includes(message.id)) described.push(message.id);
      input.setAttribute("aria-describedby", described.join(" "));
      input.focus();
    });
  });

  // Preview: ask the JSON API and update the answers in place (the form still works alone).
  const preview = document.querySelector("form[data-preview-api]");
  if (preview) {
    const answers = document.querySelector("#answers [data-answers]");
    const moment = document.querySelector("[data-moment]");
    preview.addEventListener("submit", async function (event) {
      event.preventDefault();
      const query = new URLSearchParams(new FormData(preview));
      const response = await fetch(preview.dataset.previewApi + "?" + query, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) { preview.submit(); return; }
      const data = await response.json();
      answers.replaceChildren();
      let list = null;
      let where = null;
      data.answers.forEach(function (a) {
        if (a.where !== where || !list) {
          where = a.where;
          const heading = document.createElement("h3");
          heading.textContent = where;
          list = document.createElement("dl");
          list.className = "answers";
          answers.append(heading, list);
        }
        const dt = document.createElement("dt");
        dt.textContent = "You: “" + a.question + "”";
        const dd = document.createElement("dd");
        dd.textContent = "Alexa: “" + a.text + "”";
        list.append(dt, dd);
      });
      moment.textContent = data.moment;
      history.replaceState(null, "", "?" + query);
    });
  }
})();
