// propscope page: sends an article to the API and shows the analysis.
//
// Article text is hostile input. Everything shown here is built with createElement and
// textContent (never innerHTML), so tags, entities and javascript: links in an article
// stay text. Links are made only from http(s) URLs.
//
// The page's modules: dom.js (helpers), state.js, sensitivity.js, article.js (the
// highlighted article), panel.js (the side panel); this one wires them to the form.

import { renderArticle, hideTip } from "./article.js";
import { $, api, httpUrl } from "./dom.js";
import { renderCounts, renderFrames, renderGenre, renderLegend, renderMeta, renderParagraphs } from "./panel.js";
import { recordSensitivity, selectSensitivity, sensitivitySelect } from "./sensitivity.js";
import { state } from "./state.js";

const form = $("analyze-form");

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
    // An analysis the server could not keep is shown all the same, with the reason it has
    // no permalink.
    const notKept = response.headers.get("X-Analysis-Not-Kept");
    setBusy(false, `Analysed “${$("article-title").textContent}”.${notKept ? ` ${notKept}` : ""}`);
    $("article-title").focus();
  } catch (error) {
    setBusy(false, "");
    showError(error.message);
  }
});

// Back and forward between analyses reload the page at the other one. A "#line-N" link of the
// Paragraphs panel fires popstate too: same analysis, so only the jump happens (a reload
// threw away the reader's filter and hidden categories).
window.addEventListener("popstate", (event) => {
  const path = window.location.pathname.match(/^\/a\/([^/]+)$/);
  const id = (event.state && event.state.id) || (path ? decodeURIComponent(path[1]) : "");
  if (id !== (state.id || "")) window.location.reload();
});

function collapseInput(collapsed) {
  $("input-card").classList.toggle("collapsed", collapsed);
}

$("new-analysis").addEventListener("click", () => {
  collapseInput(false);
  setBusy(false, "");
  tabs.find((t) => t.getAttribute("aria-selected") === "true").focus();
});

function refresh() {
  hideTip();
  const spans = renderArticle();
  renderLegend(spans, refresh);
  renderCounts(spans);
}

// The API counts offsets in characters, as Python does (code points); JavaScript strings
// index UTF-16 units, in which an emoji or another character beyond U+FFFF takes two. The
// offsets the page cuts the text by are converted once, here.
function utf16Index(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
  const at = [];
  let unit = 0;
  for (const ch of text) {
    at.push(unit);
    unit += ch.length;
  }
  at.push(unit);
  return (i) => at[Math.min(i, at.length - 1)];
}

const slider = $("threshold");

function show(record, id) {
  const to = utf16Index(record.text || "");
  const moved = (r) => ({ ...r, start: to(r.start), end: to(r.end) });
  state.record = { ...record, boilerplate: (record.boilerplate || []).map(moved),
    paragraphs: (record.paragraphs || []).map(moved) };
  state.id = id;
  state.spans = (record.spans || []).map((s, i) => ({ ...moved(s), n: i + 1 }));
  state.hidden.clear();
  renderMeta(record);
  selectSensitivity(recordSensitivity(record));
  renderGenre(record);
  renderFrames(record);
  renderParagraphs(state.record);
  for (const [link, suffix] of [["permalink", ""], ["download-json", ".json"], ["download-html", ".html"]]) {
    $(link).href = id ? `/a/${id}${suffix}` : "#";
    $(link).toggleAttribute("aria-disabled", !id);
  }
  // A new result starts with every span shown: a filter set for the last one would hide
  // this one's spans ("0 of 358 spans shown").
  slider.value = slider.defaultValue;
  $("threshold-value").textContent = Number(slider.value).toFixed(2);
  refresh();
  $("result").hidden = false;
  collapseInput(true);
}

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
      genreRule: data.genre_rule,
      display: data.display,
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
