// Feature pages: a tooltip with the exact activation of the token under the pointer or keyboard focus.
// Without JavaScript the same number is in each token's title attribute.
(() => {
  let tip = null;

  function tooltip() {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "tok-tip";
      tip.setAttribute("role", "status");
      tip.hidden = true;
      document.body.appendChild(tip);
    }
    return tip;
  }

  function show(token) {
    // the native title tooltip would repeat the number
    if (token.title) {
      token.removeAttribute("title");
    }
    const t = tooltip();
    t.textContent = `${token.textContent}  ${token.dataset.act}`;
    t.hidden = false;
    const box = token.getBoundingClientRect();
    const left = Math.min(Math.max(4, box.left), window.innerWidth - t.offsetWidth - 4);
    const top = box.bottom + 6 + t.offsetHeight > window.innerHeight ? box.top - t.offsetHeight - 6 : box.bottom + 6;
    t.style.left = `${left}px`;
    t.style.top = `${top}px`;
  }

  function hide() {
    if (tip) {
      tip.hidden = true;
    }
  }

  const activeToken = (event) => event.target.closest && event.target.closest(".tok[data-act]");
  document.addEventListener("mouseover", (e) => { const t = activeToken(e); if (t) show(t); });
  document.addEventListener("mouseout", (e) => { if (activeToken(e)) hide(); });
  document.addEventListener("focusin", (e) => { const t = activeToken(e); if (t) show(t); else hide(); });
  document.addEventListener("focusout", hide);
  window.addEventListener("scroll", hide, { passive: true });
})();
