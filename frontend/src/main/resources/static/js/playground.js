// Steering playground: streams both completions as server-sent events from POST /playground/stream (fetch, so
// the CSRF header goes along; EventSource can only GET). Without JavaScript the form posts normally.
// Model output is untrusted: it is only ever inserted with textContent.
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

  function output(side) {
    const pre = document.getElementById("output-" + side);
    pre.replaceChildren();
    const prompt = document.createElement("span");
    prompt.className = "prompt-text";
    prompt.textContent = form.elements.prompt.value;
    const generated = document.createElement("span");
    generated.className = "generated";
    pre.append(prompt, generated);
    return generated;
  }

  function finish(message) {
    status.textContent = message;
    stop.hidden = true;
    run.disabled = false;
    controller = null;
  }

  function showError(message) {
    error.textContent = message;
    error.hidden = false;
  }

  function handle(event, data, targets) {
    if (event === "token") {
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

  // each steered token's title: the steered features' activations there before steering
  function hover(container, result) {
    const tokens = container.querySelectorAll(".token");
    const rows = result.steered.feature_activations || [];
    tokens.forEach((token, t) => {
      const row = rows[t];
      if (!row) {
        token.title = "activation at this token not computed (the last token is not fed back to the model)";
        return;
      }
      token.title = result.features.map((f, k) => f.sae + " #" + f.index + ": " + Number(row[k]).toFixed(3)
        + " before steering (" + (f.mode === "clamp" ? "clamped to " + Number(f.applied).toFixed(3)
          : "plus " + Number(f.applied).toFixed(3) + "·W_dec") + ")").join("; ");
    });
  }

  form.addEventListener("submit", async (e) => {
    if (e.submitter && e.submitter.id === "playground-save") {
      return; // saving is a plain POST that ends on the permalink page
    }
    e.preventDefault();
    error.hidden = true;
    const targets = { default: output("default"), steered: output("steered") };
    const headers = { "Accept": "text/event-stream" };
    const token = document.querySelector('meta[name="_csrf"]');
    const header = document.querySelector('meta[name="_csrf_header"]');
    if (token && header) {
      headers[header.content] = token.content;
    }
    controller = new AbortController();
    stop.hidden = false;
    run.disabled = true;
    status.textContent = "generating…";
    try {
      const response = await fetch(form.dataset.stream, {
        method: "POST", headers, body: new URLSearchParams(new FormData(form)), signal: controller.signal
      });
      if (!response.ok) {
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
            handle(event, JSON.parse(data.join("\n")), targets);
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
  });

  stop.addEventListener("click", () => {
    if (controller) {
      controller.abort();
    }
  });
})();
