// propscope page: sends an article to the API and shows the analysis.
//
// Article text is hostile input. Everything shown here is built with createElement and
// textContent (never innerHTML), so tags, entities and javascript: links in an article
// stay text. Links are made only from http(s) URLs.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const form = $("analyze-form");
  const state = {
    taxonomy: null, // {techniques: Map, categories: Map, order: [category names]}
    record: null, // the analysis, in the API's JSON contract
    id: "", // permalink id
    spans: [], // record.spans with a stable number `n`
    hidden: new Set(), // categories toggled off in the legend
  };

  // --- small DOM helpers (text only) -------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = String(value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child); // strings become text nodes
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function httpUrl(value) {
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (_) {
      return null;
    }
  }

  function darken(hex, factor = 0.55) {
    const c = [1, 3, 5].map((i) => Math.round(parseInt(hex.slice(i, i + 2), 16) * factor));
    return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
  }

  const pct = (x) => `${Math.round(x * 100)}%`;
  const pretty = (name) => name.replace(/_/g, " ");

  function technique(name) {
    return state.taxonomy.techniques.get(name) ||
      { name, title: pretty(name), category: "", definition: "" };
  }

  function category(name) {
    return state.taxonomy.categories.get(name) ||
      { name, title: pretty(name || "other"), color: "#dddddd", description: "" };
  }

  function bar(label, value, color, extra) {
    const fill = el("span", { class: "bar-fill" });
    fill.style.width = pct(Math.max(0, Math.min(1, value)));
    if (color) fill.style.backgroundColor = color;
    return el("div", { class: "bar-row" },
      el("span", { class: "bar-label", text: label }),
      el("span", { class: "bar", "aria-hidden": "true" }, fill),
      el("span", { class: "bar-value", text: extra !== undefined ? extra : pct(value) }));
  }

  // --- status and errors ---------------------------------------------------------------

  function setBusy(busy, message) {
    $("analyze-button").disabled = busy;
    form.setAttribute("aria-busy", busy ? "true" : "false");
    $("status").textContent = message || "";
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.hidden = !message;
  }

  async function api(path, options) {
    const response = await fetch(path, { credentials: "same-origin", ...options });
    let data = null;
    try {
      data = await response.json();
    } catch (_) {
      data = null;
    }
    if (!response.ok) {
      const message = data && data.error ? data.error.message : `HTTP ${response.status}`;
      throw new Error(message);
    }
    return { data, response };
  }

  // --- input tabs ------------------------------------------------------------------------

  const tabs = Array.from(document.querySelectorAll('[role="tab"]'));

  function selectTab(tab, focus) {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute("aria-controls")).hidden = !on;
    }
    if (focus) tab.focus();
  }

  for (const tab of tabs) {
    tab.addEventListener("click", () => selectTab(tab, false));
    tab.addEventListener("keydown", (event) => {
      const i = tabs.indexOf(tab);
      const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -i, End: tabs.length - 1 - i };
      if (event.key in moves) {
        event.preventDefault();
        selectTab(tabs[(i + moves[event.key] + tabs.length) % tabs.length], true);
      }
    });
  }

  function currentTab() {
    return tabs.find((t) => t.getAttribute("aria-selected") === "true").id.replace("tab-", "");
  }

  function slug(text) {
    const first = (text.split("\n").find((line) => line.trim()) || "").toLowerCase();
    return first.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 48) || "pasted";
  }

  function requestBody() {
    const tab = currentTab();
    const maxBytes = Number(form.dataset.maxBytes);
    if (tab === "paste") {
      const text = $("text").value;
      if (!text.trim()) throw new Error("Paste the text of an article first.");
      return {
        body: JSON.stringify({ text, id: slug(text), format: $("format").value }),
        headers: { "Content-Type": "application/json" },
      };
    }
    if (tab === "upload") {
      const file = $("file").files[0];
      if (!file) throw new Error("Choose a .txt, .md or .html file first.");
      if (file.size > maxBytes) {
        throw new Error(`${file.name} is ${file.size.toLocaleString()} bytes; ` +
          `the limit is ${maxBytes.toLocaleString()} bytes.`);
      }
      const data = new FormData();
      data.append("file", file);
      return { body: data, headers: {} };
    }
    const url = $("url").value.trim();
    if (!httpUrl(url)) throw new Error("Give an http:// or https:// address.");
    return { body: JSON.stringify({ url }), headers: { "Content-Type": "application/json" } };
  }

  // --- sensitivity -----------------------------------------------------------------------
  //
  // The select's options are the named levels; each carries its threshold shift (logits) in
  // data-shift, so a result's model.sensitivity maps back to a name. The chosen level is sent
  // with every analysis, so the page analyses at the level it shows.

  const sensitivitySelect = $("sensitivity");

  function sensitivityOption(shift) {
    return Array.from(sensitivitySelect.options)
      .find((o) => o.dataset.shift !== undefined && Math.abs(Number(o.dataset.shift) - shift) < 1e-9);
  }

  function sensitivityName(shift) {
    const option = sensitivityOption(shift);
    return option ? option.value : String(shift);
  }

  // Sets the select to a result's level; a shift without a name (asked for through the API)
  // gets an option of its own, so re-analysing uses it too.
  function selectSensitivity(shift) {
    let option = sensitivityOption(shift);
    if (!option) {
      option = el("option", { value: String(shift), "data-shift": String(shift),
        text: `${shift} — the level this analysis was made at` });
      sensitivitySelect.append(option);
    }
    sensitivitySelect.value = option.value;
  }

  function recordSensitivity(record) {
    const shift = Number(record.model && record.model.sensitivity);
    return Number.isFinite(shift) ? shift : 0; // analyses kept before sensitivity existed: 0
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError("");
    let request;
    try {
      request = requestBody();
    } catch (error) {
      showError(error.message);
      return;
    }
    setBusy(true, "Analysing…");
    try {
      const path = `/api/analyses?sensitivity=${encodeURIComponent(sensitivitySelect.value)}`;
      const { data, response } = await api(path, { method: "POST", ...request });
      const id = response.headers.get("X-Analysis-Id") || "";
      show(data, id);
      if (id) history.pushState({ id }, "", `/a/${id}`);
      setBusy(false, `Analysed “${$("article-title").textContent}”.`);
      $("article-title").focus();
    } catch (error) {
      setBusy(false, "");
      showError(error.message);
    }
  });

  window.addEventListener("popstate", () => window.location.reload());

  function collapseInput(collapsed) {
    $("input-card").classList.toggle("collapsed", collapsed);
  }

  $("new-analysis").addEventListener("click", () => {
    collapseInput(false);
    setBusy(false, "");
    tabs.find((t) => t.getAttribute("aria-selected") === "true").focus();
  });

  // --- the highlighted article ----------------------------------------------------------

  function visibleSpans() {
    const threshold = Number($("threshold").value);
    return state.spans.filter((s) => s.score >= threshold && !state.hidden.has(s.category));
  }

  // Each span gets the lowest underline level not used by a span it overlaps, so stacked
  // underlines stay aligned along a span's whole length.
  function assignLevels(spans) {
    const placed = [];
    const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
    const levels = new Map();
    for (const s of sorted) {
      const used = new Set(placed.filter((p) => p.start < s.end && s.start < p.end)
        .map((p) => levels.get(p.n)));
      let level = 0;
      while (used.has(level)) level += 1;
      levels.set(s.n, level);
      placed.push(s);
    }
    return levels;
  }

  function lines(text) {
    const out = [];
    let start = 0;
    let number = 1;
    for (;;) {
      const nl = text.indexOf("\n", start);
      const end = nl < 0 ? text.length : nl;
      const stop = end > start && text[end - 1] === "\r" ? end - 1 : end;
      out.push({ number, start, end: stop });
      if (nl < 0) return out;
      start = nl + 1;
      number += 1;
    }
  }

  function styleMark(mark, covering, levels) {
    const top = covering.reduce((a, b) => (b.score > a.score ? b : a));
    mark.style.backgroundColor = category(top.category).color;
    const images = [];
    const positions = [];
    let deepest = 0;
    for (const s of covering) {
      const level = levels.get(s.n);
      deepest = Math.max(deepest, level);
      const line = darken(category(s.category).color);
      images.push(`linear-gradient(${line}, ${line})`);
      positions.push(`0 calc(100% - ${level * 4}px)`);
    }
    mark.style.backgroundImage = images.join(", ");
    mark.style.backgroundPosition = positions.join(", ");
    mark.style.backgroundSize = images.map(() => "100% 2px").join(", ");
    mark.style.backgroundRepeat = "no-repeat";
    mark.style.paddingBottom = `${2 + deepest * 4}px`;
  }

  function renderLine(line, text, spans, levels, boilerplate) {
    const inLine = spans.filter((s) => s.start < line.end && line.start < s.end);
    const regions = boilerplate.filter((r) => r.start < line.end && line.start < r.end);
    const cuts = new Set([line.start, line.end]);
    for (const r of [...inLine, ...regions]) {
      cuts.add(Math.max(line.start, r.start));
      cuts.add(Math.min(line.end, r.end));
    }
    const points = [...cuts].sort((a, b) => a - b);
    const wholeBoilerplate = regions.some((r) => r.start <= line.start && line.end <= r.end);
    const para = el("p", { class: wholeBoilerplate ? "para boilerplate" : "para",
      id: `line-${line.number}`, "data-line": line.number });
    if (wholeBoilerplate) {
      const kind = regions.find((r) => r.start <= line.start && line.end <= r.end).kind;
      para.append(el("span", { class: "bp-tag", text: `boilerplate · ${pretty(kind)}` }));
    }
    for (let i = 0; i + 1 < points.length; i += 1) {
      const a = points[i];
      const b = points[i + 1];
      const piece = text.slice(a, b);
      const covering = inLine.filter((s) => s.start < b && a < s.end)
        .sort((x, y) => x.start - y.start || y.end - x.end);
      const inBoilerplate = !wholeBoilerplate &&
        regions.some((r) => r.start <= a && b <= r.end);
      if (!covering.length) {
        para.append(inBoilerplate ? el("span", { class: "bp", text: piece }) : piece);
        continue;
      }
      const starts = covering.some((s) => s.start >= a && s.start < b) ||
        (a === line.start && covering.some((s) => s.start < a));
      const mark = el("mark", {
        class: inBoilerplate ? "hl bp" : "hl",
        "data-spans": covering.map((s) => s.n).join(" "),
        "data-techniques": covering.map((s) => s.technique).join(" "),
        "aria-describedby": "tooltip",
        tabindex: starts ? "0" : null,
        text: piece,
      });
      styleMark(mark, covering, levels);
      para.append(mark);
    }
    return para;
  }

  function renderArticle() {
    const record = state.record;
    const spans = visibleSpans();
    const levels = assignLevels(spans);
    const article = clear($("article"));
    const fragment = document.createDocumentFragment();
    for (const line of lines(record.text)) {
      if (!record.text.slice(line.start, line.end).trim()) continue;
      fragment.append(renderLine(line, record.text, spans, levels, record.boilerplate || []));
    }
    article.append(fragment);
    // With calibrated scores their sum estimates how many of the shown spans are right.
    const right = record.model && record.model.calibrated && spans.length
      ? ` · about ${Math.round(spans.reduce((sum, s) => sum + s.score, 0))} expected right` : "";
    $("visible-count").textContent =
      `${spans.length} of ${state.spans.length} span${state.spans.length === 1 ? "" : "s"} shown${right}`;
    return spans;
  }

  // --- tooltip ------------------------------------------------------------------------------

  const tooltip = $("tooltip");

  function showTip(mark) {
    clear(tooltip);
    const numbers = mark.dataset.spans.split(" ").map(Number);
    for (const s of state.spans.filter((x) => numbers.includes(x.n))) {
      const t = technique(s.technique);
      const c = category(s.category || t.category);
      const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
      swatch.style.backgroundColor = c.color;
      tooltip.append(el("div", { class: "tip-item" },
        el("div", { class: "tip-head" }, swatch, el("strong", { text: t.title }),
          el("span", { class: "tip-score", text: `confidence ${s.score.toFixed(2)}` })),
        el("div", { class: "tip-cat", text: c.title }),
        el("p", { class: "tip-def", text: t.definition }),
        // How well the served model finds the technique, out of sample (GET /api/techniques).
        // The rates were measured at the calibrated thresholds: not shown at other levels.
        t.quality && recordSensitivity(state.record) === 0
          ? el("p", { class: "tip-quality", text: t.quality.summary }) : null));
    }
    tooltip.hidden = false;
    const rect = mark.getBoundingClientRect();
    const width = Math.min(360, document.documentElement.clientWidth - 16);
    tooltip.style.width = `${width}px`;
    const left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    let top = rect.bottom + 8;
    if (top + tooltip.offsetHeight > window.innerHeight && rect.top > tooltip.offsetHeight + 8) {
      top = rect.top - tooltip.offsetHeight - 8;
    }
    tooltip.style.left = `${left + window.scrollX}px`;
    tooltip.style.top = `${top + window.scrollY}px`;
  }

  function hideTip() {
    tooltip.hidden = true;
  }

  const article = $("article");
  article.addEventListener("mouseover", (event) => {
    const mark = event.target.closest("mark.hl");
    if (mark) showTip(mark);
  });
  article.addEventListener("mouseleave", hideTip);
  article.addEventListener("focusin", (event) => {
    const mark = event.target.closest("mark.hl");
    if (mark) showTip(mark);
  });
  article.addEventListener("focusout", hideTip);
  article.addEventListener("click", (event) => {
    const mark = event.target.closest("mark.hl");
    if (mark) showTip(mark);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") hideTip();
  });

  // --- side panel ---------------------------------------------------------------------------

  function renderLegend(spans) {
    const legend = clear($("legend"));
    for (const name of state.taxonomy.order) {
      const total = state.spans.filter((s) => s.category === name).length;
      if (!total) continue;
      const c = category(name);
      const shown = spans.filter((s) => s.category === name).length;
      const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
      swatch.style.backgroundColor = c.color;
      const button = el("button", { type: "button", class: "chip", "data-category": name,
        "aria-pressed": state.hidden.has(name) ? "false" : "true", title: c.description },
      swatch, el("span", { text: c.title }), el("span", { class: "chip-count", text: shown }));
      button.addEventListener("click", () => {
        if (state.hidden.has(name)) state.hidden.delete(name);
        else state.hidden.add(name);
        refresh();
        legend.querySelector(`[data-category="${name}"]`).focus();
      });
      legend.append(button);
    }
  }

  function renderCounts(spans) {
    const box = clear($("counts"));
    if (!spans.length) {
      box.append(el("p", { class: "muted", text: state.spans.length
        ? "No technique at this confidence." : "No persuasion technique found." }));
      return;
    }
    const byTechnique = new Map();
    for (const s of spans) byTechnique.set(s.technique, (byTechnique.get(s.technique) || 0) + 1);
    const most = Math.max(...byTechnique.values());
    for (const name of state.taxonomy.order) {
      const inCat = [...byTechnique.entries()]
        .filter(([t]) => (technique(t).category || "") === name)
        .sort((a, b) => b[1] - a[1]);
      if (!inCat.length) continue;
      const c = category(name);
      const total = inCat.reduce((sum, [, n]) => sum + n, 0);
      const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
      swatch.style.backgroundColor = c.color;
      const group = el("div", { class: "count-group" },
        el("h3", { class: "count-head" }, swatch, el("span", { text: c.title }),
          el("span", { class: "count-total", text: total })));
      for (const [t, n] of inCat) group.append(bar(technique(t).title, n / most, darken(c.color, 0.8), n));
      box.append(group);
    }
  }

  function renderGenre(record) {
    const box = clear($("genre"));
    if (!record.genre) {
      box.append(el("p", { class: "muted", text: "No genre predicted." }));
      return;
    }
    box.append(el("p", { class: "big-label", text: record.genre.label }));
    const scores = Object.entries(record.genre.scores || {}).sort((a, b) => b[1] - a[1]);
    for (const [label, score] of scores) box.append(bar(label, score, "#5b6ee1"));
  }

  function renderFrames(record) {
    const box = clear($("frames"));
    const frames = [...(record.frames || [])].sort((a, b) => b.score - a.score);
    if (!frames.length) box.append(el("p", { class: "muted", text: "No frame above threshold." }));
    for (const f of frames) box.append(bar(pretty(f.label), f.score, "#2f9e8f"));
  }

  function renderParagraphs(record) {
    const list = clear($("paragraphs"));
    const labelled = (record.paragraphs || []).filter((p) => p.techniques.length);
    if (!labelled.length) {
      list.append(el("li", { class: "muted", text: "No paragraph labelled." }));
      return;
    }
    for (const p of labelled) {
      const chips = el("span", { class: "para-chips" });
      for (const name of p.techniques) {
        const t = technique(name);
        // The tooltip says how sure the model is and which words raised the label most.
        const score = (p.scores || {})[name];
        const words = ((p.evidence || {})[name] || []).map((e) => `\u201c${e.text}\u201d`);
        const why = [t.title, score === undefined ? null : `confidence ${Math.round(score * 100)}%`,
          words.length ? `words: ${words.join(", ")}` : null].filter(Boolean).join(" \u00b7 ");
        const chip = el("span", { class: "mini-chip", text: t.title, title: why });
        chip.style.backgroundColor = category(t.category).color;
        chips.append(chip);
      }
      const preview = record.text.slice(p.start, p.end).trim().slice(0, 70);
      list.append(el("li", {},
        el("a", { href: `#line-${p.line}`, class: "para-link", text: `Line ${p.line}` }),
        el("span", { class: "para-preview", text: preview }), chips));
    }
  }

  function renderMeta(record) {
    const md = record.metadata || {};
    const firstLine = (record.text.split("\n").find((l) => l.trim()) || "").trim();
    $("article-title").textContent = md.title || firstLine.slice(0, 120) || record.id;
    const meta = clear($("article-meta"));
    const add = (term, value) => {
      if (!value) return;
      const url = typeof value === "string" ? httpUrl(value) : null;
      const dd = el("dd", {}, url ? el("a", { href: url, rel: "noopener noreferrer nofollow",
        target: "_blank", text: value }) : String(value));
      meta.append(el("div", { class: "meta-item" }, el("dt", { text: term }), dd));
    };
    add("Outlet", md.outlet);
    add("Author", md.author);
    add("Published", md.published);
    add("URL", md.url || (httpUrl(record.source || "") ? record.source : null));
    add("Republished from", md.republished_from);
    if (record.boilerplate && record.boilerplate.length) {
      add("Boilerplate", `${record.boilerplate.length} region${record.boilerplate.length === 1 ? "" : "s"} greyed out`);
    }
    if (record.model) add("Model", `${record.model.name} ${record.model.version}`);
    // 0 is the calibrated operating point; any other level changes what is highlighted.
    const shift = recordSensitivity(record);
    if (shift !== 0) add("Sensitivity", sensitivityName(shift));
  }

  function refresh() {
    hideTip();
    const spans = renderArticle();
    renderLegend(spans);
    renderCounts(spans);
  }

  function show(record, id) {
    state.record = record;
    state.id = id;
    state.spans = (record.spans || []).map((s, i) => ({ ...s, n: i + 1 }));
    state.hidden.clear();
    renderMeta(record);
    selectSensitivity(recordSensitivity(record));
    renderGenre(record);
    renderFrames(record);
    renderParagraphs(record);
    for (const [link, suffix] of [["permalink", ""], ["download-json", ".json"], ["download-html", ".html"]]) {
      $(link).href = id ? `/a/${id}${suffix}` : "#";
      $(link).toggleAttribute("aria-disabled", !id);
    }
    refresh();
    $("result").hidden = false;
    collapseInput(true);
  }

  const slider = $("threshold");
  slider.addEventListener("input", () => {
    $("threshold-value").textContent = Number(slider.value).toFixed(2);
    if (state.record) refresh();
  });

  // --- start -------------------------------------------------------------------------------

  async function start() {
    try {
      const { data } = await api("/api/techniques");
      state.taxonomy = {
        techniques: new Map(data.techniques.map((t) => [t.name, t])),
        categories: new Map(data.categories.map((c) => [c.name, c])),
        order: data.categories.map((c) => c.name),
      };
      const id = form.dataset.analysisId;
      if (id) {
        setBusy(true, "Loading…");
        const { data: record } = await api(`/api/analyses/${encodeURIComponent(id)}`);
        show(record, id);
        setBusy(false, `Analysis ${id}.`);
      }
      document.body.dataset.ready = "true";
    } catch (error) {
      setBusy(false, "");
      showError(error.message);
    }
  }

  $("article-title").tabIndex = -1;
  start();
})();
