// propscope page, the side panel and the article's details: legend, counts, genre, frames,
// paragraph labels, metadata.

import { $, bar, clear, darken, el, httpUrl, pretty } from "./dom.js";
import { recordSensitivity, sensitivityName } from "./sensitivity.js";
import { category, state, technique } from "./state.js";


// ``refresh`` redraws the page after a category is toggled.
export function renderLegend(spans, refresh) {
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
  renderKey(spans);
}

// The key to the highlights: each technique shown, with its tag, shade and underline, in the
// colours and patterns the reports use (taxonomy/styles.py).
function renderKey(spans) {
  const key = clear($("technique-key"));
  const shown = new Set(spans.map((s) => s.technique));
  const { underlines } = state.taxonomy.display;
  for (const t of state.taxonomy.techniques.values()) {
    if (!shown.has(t.name)) continue;
    const tag = el("span", { class: "key-tag", text: t.tag });
    tag.style.backgroundColor = t.color;
    const pattern = underlines[t.underline] || underlines.solid;
    const line = el("span", { class: "key-line", "aria-hidden": "true" });
    line.style.backgroundImage = pattern.image.replaceAll("{color}", t.line);
    line.style.backgroundSize = `100% ${pattern.height}px`;
    key.append(el("li", { "data-technique": t.name, title: `${t.title}: ${t.underline} underline` },
      tag, el("span", { text: t.title }), line));
  }
}

export function renderCounts(spans) {
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

export function renderGenre(record) {
  const box = clear($("genre"));
  if (!record.genre) {
    box.append(el("p", { class: "muted", text: "No genre predicted." }));
    return;
  }
  box.append(el("p", { class: "big-label", text: record.genre.label }));
  const scores = Object.entries(record.genre.scores || {}).sort((a, b) => b[1] - a[1]);
  for (const [label, score] of scores) box.append(bar(label, score, "#5b6ee1"));
  if (scores.length && scores[0][0] !== record.genre.label) {
    // The reports' words (render/summary.py genre_note), the reason from /api/techniques.
    box.append(el("p", { class: "muted", id: "genre-note", text: `${record.genre.label} is chosen `
      + `although ${scores[0][0]} scores higher: ${state.taxonomy.genreRule}` }));
  }
}

export function renderFrames(record) {
  const box = clear($("frames"));
  const frames = [...(record.frames || [])].sort((a, b) => b.score - a.score);
  if (!frames.length) box.append(el("p", { class: "muted", text: "No frame above threshold." }));
  for (const f of frames) box.append(bar(pretty(f.label), f.score, "#2f9e8f"));
}

export function renderParagraphs(record) {
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
      // Confidences as the spans' tooltips and the slider give them: 0 to 1, two decimals.
      const why = [t.title, score === undefined ? null : `confidence ${score.toFixed(2)}`,
        words.length ? `words: ${words.join(", ")}` : null].filter(Boolean).join(" \u00b7 ");
      // The confidence is in the text, not only the tooltip: keyboards and touch reach it too.
      const chip = el("span", { class: "mini-chip", title: why,
        text: `${t.tag ? `${t.tag} ` : ""}${t.title}${score === undefined ? "" : ` ${score.toFixed(2)}`}` });
      chip.style.backgroundColor = t.color || category(t.category).color;
      chips.append(chip);
    }
    const preview = record.text.slice(p.start, p.end).trim().slice(0, 70);
    list.append(el("li", {},
      el("a", { href: `#line-${p.line}`, class: "para-link", text: `Line ${p.line}` }),
      el("span", { class: "para-preview", text: preview }), chips));
  }
}


export function renderMeta(record) {
  // The analysis's caveats, worded by the server (serialize.analysis_notes).
  const notes = record.notes || [];
  $("script-note").textContent = notes.join(" ");
  $("script-note").hidden = !notes.length;
  const md = record.metadata || {};
  const firstLine = (record.text.split("\n").find((l) => l.trim()) || "").trim();
  $("article-title").textContent = md.title || firstLine.slice(0, state.taxonomy.display.title_limit) || record.id;
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
