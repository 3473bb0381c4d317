// propscope page, the highlighted article and the span tooltip.
//
// Article text is hostile input. Everything shown here is built with createElement and
// textContent (never innerHTML), so tags, entities and javascript: links in an article
// stay text. Links are made only from http(s) URLs.

import { $, clear, darken, el, pretty, tint } from "./dom.js";
import { recordSensitivity } from "./sensitivity.js";
import { category, state, technique } from "./state.js";

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

// Each technique is drawn as the reports draw it (taxonomy/styles.py, from /api/techniques):
// a shade of its category's colour, an underline pattern of its own and a two-letter tag,
// so that techniques of one category are told apart without hovering, and not by colour
// alone. The fill's strength follows the highest confidence among the covering spans: full
// colour from 0.5 up, fainter below (most spans are more likely wrong than right, and look
// it). ``deepest``: the line's deepest underline level, so every piece of a line has the
// same bottom padding and an underline keeps its height along the whole span.
function techniqueColor(s) {
  return technique(s.technique).color || category(s.category).color;
}

function underline(s) {
  const patterns = state.taxonomy.display.underlines;
  const t = technique(s.technique);
  const pattern = patterns[t.underline] || patterns.solid;
  const line = t.line || darken(category(s.category).color, state.taxonomy.display.underline_darken);
  return { image: pattern.image.replaceAll("{color}", line), height: pattern.height };
}

function styleMark(mark, covering, levels, deepest) {
  const top = covering.reduce((a, b) => (b.score > a.score ? b : a));
  mark.style.backgroundColor = tint(techniqueColor(top), 0.35 + 0.65 * Math.min(1, top.score / 0.5));
  const lines = covering.map(underline);
  mark.style.backgroundImage = lines.map((l) => l.image).join(", ");
  mark.style.backgroundPosition = covering.map((s) => `0 calc(100% - ${levels.get(s.n) * 4}px)`).join(", ");
  mark.style.backgroundSize = lines.map((l) => `100% ${l.height}px`).join(", ");
  mark.style.backgroundRepeat = "no-repeat";
  mark.style.paddingBottom = `${3 + deepest * 4}px`;
}

function renderLine(line, text, spans, levels, boilerplate) {
  const inLine = spans.filter((s) => s.start < line.end && line.start < s.end);
  const deepest = Math.max(0, ...inLine.map((s) => levels.get(s.n)));
  const regions = boilerplate.filter((r) => r.start < line.end && line.start < r.end);
  const cuts = new Set([line.start, line.end]);
  for (const r of [...inLine, ...regions]) {
    cuts.add(Math.max(line.start, r.start));
    cuts.add(Math.min(line.end, r.end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const wholeBoilerplate = regions.some((r) => r.start <= line.start && line.end <= r.end);
  const para = el("p", { class: wholeBoilerplate ? "para boilerplate" : "para",
    id: `line-${line.number}`, "data-line": line.number, dir: "auto" }); // RTL lines too
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
    // The tags of the spans that begin here, drawn before the text (a CSS ::before, so the
    // article's text stays as it was, for copying and for screen readers' reading order).
    const tags = covering.filter((s) => s.start >= a && s.start < b).map((s) => technique(s.technique).tag)
      .filter(Boolean);
    const mark = el("mark", {
      class: inBoilerplate ? "hl bp" : "hl",
      "data-spans": covering.map((s) => s.n).join(" "),
      "data-techniques": covering.map((s) => s.technique).join(" "),
      "data-tags": tags.length ? tags.join(" ") : null,
      "aria-describedby": "tooltip",
      tabindex: starts ? "0" : null,
      text: piece,
    });
    styleMark(mark, covering, levels, deepest);
    para.append(mark);
  }
  return para;
}

export function renderArticle() {
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

export function hideTip() {
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
