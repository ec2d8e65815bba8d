// Steering playground: streams both completions as server-sent events from POST /playground/stream (fetch, so
// the CSRF header goes along; EventSource can only GET). Without JavaScript the form posts normally, and its
// "Add turn", "Search" and "add #N" buttons re-render the form on the server; here they work in place.
// Model output and labels are untrusted: they are only ever inserted with textContent.
(() => {
  const form = document.getElementById("playground-form");
  if (!form) {
    return;
  }
  const stop = document.getElementById("playground-stop");
  const run = document.getElementById("playground-run");
  const status = document.getElementById("playground-status");
  const error = document.getElementById("playground-error");
  let controller = null;

  const target = document.getElementById("playground-target");
  const promptEditor = document.getElementById("prompt-editor");
  const chatEditor = document.getElementById("chat-editor");

  function chatModel() {
    const option = target.selectedOptions[0];
    return option !== undefined && option.dataset.chat === "true";
  }

  // a model with a chat template gets the conversation editor, a base model the prompt box
  target.addEventListener("change", () => {
    promptEditor.hidden = chatModel();
    chatEditor.hidden = !chatModel();
  });

  document.getElementById("add-turn").addEventListener("click", (e) => {
    e.preventDefault();
    const turns = document.getElementById("chat-turns");
    const last = turns.lastElementChild;
    const turn = last.cloneNode(true);
    turn.querySelector("textarea").value = "";
    turn.querySelector("select").value = last.querySelector("select").value === "user" ? "assistant" : "user";
    turns.append(turn);
    turn.querySelector("textarea").focus();
  });

  // a found feature goes into the first row without an index (or a new row): 1x its max activation when known
  // (PlaygroundForm.DEFAULT_MULTIPLE: fluent on the demo model)
  document.addEventListener("click", (e) => {
    const button = e.target.closest(".add-feature");
    if (!button || !form.contains(button)) {
      return;
    }
    e.preventDefault();
    const rows = [...form.querySelectorAll(".feature-row")];
    let row = rows.find((r) => r.querySelector('[name="featureIndex"]').value === "");
    if (!row) {
      row = rows[rows.length - 1].cloneNode(true);
      rows[rows.length - 1].after(row);
    }
    const hasMax = button.dataset.hasMax === "true";
    row.querySelector('[name="featureIndex"]').value = button.dataset.index;
    row.querySelector('[name="featureMode"]').value = "clamp";
    row.querySelector('[name="featureValue"]').value = hasMax ? "1" : "";
    syncSlider(row);
    row.querySelector('[name="featureUnit"]').value = hasMax ? "multiple" : "absolute";
    if (!hasMax) {
      row.querySelector('[name="featureValue"]').focus();
    }
  });

  // Enter in the search box searches (htmx listens for "search") instead of submitting the form
  const query = document.getElementById("feature-query");
  query.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      query.dispatchEvent(new Event("search"));
    }
  });

  function output(side) {
    const pre = document.getElementById("output-" + side);
    pre.replaceChildren();
    const prompt = document.createElement("span");
    prompt.className = "prompt-text";
    // a conversation's rendered prompt arrives with the stream's start event
    prompt.textContent = chatModel() ? "" : form.elements.prompt.value;
    const generated = document.createElement("span");
    generated.className = "generated";
    pre.append(prompt, generated);
    return generated;
  }

  function finish(message) {
    status.textContent = message;
    stop.hidden = true;
    run.disabled = false;
    sweepButton.disabled = false;
    controller = null;
  }

  function showError(message) {
    error.textContent = message;
    error.hidden = false;
  }

  function handle(event, data, targets) {
    if (event === "start") {
      document.querySelectorAll(".completion .prompt-text").forEach((p) => { p.textContent = data.prompt; });
    } else if (event === "token") {
      const token = document.createElement("span");
      token.className = "token";
      token.textContent = data.text;
      targets[data.side].append(token);
    } else if (event === "done") {
      hover(targets.steered, data);
      finish("stopped: default " + data.default.stop_reason + ", steered " + data.steered.stop_reason);
    } else if (event === "problem") {
      showError(data.error);
      finish("");
    }
  }

  // each steered token's title and shade: the steered features' activations there before steering
  function hover(container, result) {
    const tokens = container.querySelectorAll(".token");
    const rows = result.steered.feature_activations || [];
    const diverged = firstDifference(result.default, result.steered);
    tokens.forEach((token, t) => {
      token.title = title(result.features, rows[t]);
      token.style.setProperty("--a", shade(result.features, rows[t]).toFixed(2));
      token.classList.toggle("diverged", t >= diverged);
    });
  }

  // = TokenHover.titles on the server
  function title(features, row) {
    if (!row) {
      return "activation at this token not computed (the last token is not fed back to the model)";
    }
    return features.map((f, k) => f.sae + " #" + f.index + ": " + Number(row[k]).toFixed(3)
      + " before steering (" + (f.mode === "clamp" ? "clamped to " + Number(f.applied).toFixed(3)
        : "plus " + Number(f.applied).toFixed(3) + "·W_dec") + ")").join("; ");
  }

  // = TokenHover.shade: the strongest feature's activation as a fraction of its max activation (else applied value)
  function shade(features, row) {
    let out = 0;
    (row || []).forEach((a, k) => {
      const f = features[k];
      const reference = f && f.max_activation != null ? f.max_activation : Math.abs(f ? f.applied : 0);
      if (a != null && reference > 0) {
        out = Math.max(out, Math.min(1, a / reference));
      }
    });
    return out;
  }

  // = TokenHover.firstDifference
  function firstDifference(a, b) {
    const n = Math.min(a.tokens.length, b.tokens.length);
    for (let t = 0; t < n; t++) {
      if (a.tokens[t] !== b.tokens[t]) {
        return t;
      }
    }
    return a.tokens.length === b.tokens.length ? Infinity : n;
  }

  // reads a server-sent event stream from a POST of the form, calling onEvent(event, data) per event
  async function stream(url, onEvent) {
    error.hidden = true;
    const headers = { "Accept": "text/event-stream" };
    const token = document.querySelector('meta[name="_csrf"]');
    const header = document.querySelector('meta[name="_csrf_header"]');
    if (token && header) {
      headers[header.content] = token.content;
    }
    controller = new AbortController();
    stop.hidden = false;
    run.disabled = true;
    sweepButton.disabled = true;
    status.textContent = "generating…";
    try {
      const response = await fetch(url, {
        method: "POST", headers, body: new URLSearchParams(new FormData(form)), signal: controller.signal
      });
      if (!response.ok && !(response.headers.get("Content-Type") || "").startsWith("text/event-stream")) {
        showError("The server answered " + response.status + ".");
        finish("");
        return;
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
          let event = "message";
          const data = [];
          for (const line of frame.split(/\r?\n/)) {
            if (line.startsWith("event:")) {
              event = line.slice(6).trim();
            } else if (line.startsWith("data:")) {
              data.push(line.slice(5).replace(/^ /, ""));
            }
          }
          if (data.length) {
            onEvent(event, JSON.parse(data.join("\n")));
          }
        }
      }
      if (controller) {
        finish(status.textContent === "generating…" ? "" : status.textContent);
      }
    } catch (err) {
      finish(err.name === "AbortError" ? "stopped" : "");
      if (err.name !== "AbortError") {
        showError("Streaming failed: " + err.message);
      }
    }
  }

  form.addEventListener("submit", (e) => {
    if (e.submitter && e.submitter.id === "playground-sweep") {
      e.preventDefault();
      sweep();
      return;
    }
    if (e.submitter && e.submitter.id !== "playground-run" && e.submitter.id !== "playground-default") {
      return; // saving (ends on the permalink page) and the search button are plain POSTs
    }
    e.preventDefault();
    const targets = { default: output("default"), steered: output("steered") };
    stream(form.dataset.stream, (event, data) => handle(event, data, targets));
  });

  // the strength sweep: one column per strength, filled in as each finishes
  const sweepButton = document.getElementById("playground-sweep");
  const sweepSection = document.getElementById("sweep");
  const sweepColumns = document.getElementById("sweep-columns");

  function sweepColumn(heading) {
    const column = document.createElement("div");
    column.className = "sweep-column";
    const h = document.createElement("h3");
    h.textContent = heading;
    const pre = document.createElement("pre");
    pre.className = "completion";
    const generated = document.createElement("span");
    generated.className = "generated";
    generated.textContent = "…";
    pre.append(generated);
    const stopped = document.createElement("p");
    stopped.className = "meta stop";
    column.append(h, pre, stopped);
    sweepColumns.append(column);
    return column;
  }

  function fillColumn(column, completion, features, plain) {
    const generated = column.querySelector(".generated");
    generated.replaceChildren();
    const diverged = plain ? firstDifference(plain, completion) : Infinity;
    completion.token_texts.forEach((text, t) => {
      const span = document.createElement("span");
      span.className = "token" + (t >= diverged ? " diverged" : "");
      span.textContent = text;
      if (features) {
        const row = (completion.feature_activations || [])[t];
        span.title = title(features, row);
        span.style.setProperty("--a", shade(features, row).toFixed(2));
      }
      generated.append(span);
    });
    column.querySelector(".stop").textContent = "stopped: " + completion.stop_reason;
  }

  function sweep() {
    sweepSection.hidden = false;
    sweepColumns.replaceChildren();
    const columns = [];
    let plain = null;
    stream(form.dataset.sweep, (event, data) => {
      if (event === "start") {
        sweepSection.querySelector(".sweep-prompt .prompt-text").textContent = data.prompt;
        columns.push(sweepColumn("default"));
        data.factors.forEach((f) => {
          const column = sweepColumn(f + "×");
          column.dataset.factor = f;
          columns.push(column);
        });
      } else if (event === "default") {
        plain = data;
        fillColumn(columns[0], data, null, null);
      } else if (event === "column") {
        const column = columns.find((c) => Number(c.dataset.factor) === data.factor);
        fillColumn(column, data.completion, data.features, plain);
      } else if (event === "done") {
        finish("sweep done: " + data.columns.length + " strengths");
      } else if (event === "problem") {
        showError(data.error);
        finish("");
      }
    });
  }
  stop.addEventListener("click", () => {
    if (controller) {
      controller.abort();
    }
  });
})();

// strength slider: mirrors the number field of its row (the number field is what the form sends, so the page works
// without JavaScript); shown only for "x max activation" rows
function syncSlider(row) {
  const slider = row.querySelector(".strength-slider");
  if (!slider) {
    return;
  }
  const value = row.querySelector('[name="featureValue"]').value;
  slider.value = value === "" ? "1" : value;
  slider.hidden = row.querySelector('[name="featureUnit"]').value !== "multiple";
}
document.addEventListener("input", (e) => {
  const row = e.target.closest && e.target.closest(".feature-row");
  if (!row) {
    return;
  }
  if (e.target.classList.contains("strength-slider")) {
    row.querySelector('[name="featureValue"]').value = e.target.value;
    row.querySelector(".strength-shown").textContent = e.target.value + "×";
  }
  else if (e.target.name === "featureValue") {
    syncSlider(row);
  }
});
document.addEventListener("change", (e) => {
  const row = e.target.closest && e.target.closest(".feature-row");
  if (row && e.target.name === "featureUnit") {
    syncSlider(row);
  }
});
