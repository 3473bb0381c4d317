// propscope page, DOM helpers: elements built from text only, and the API call.
//
// Article text is hostile input. Everything shown here is built with createElement and
// textContent (never innerHTML), so tags, entities and javascript: links in an article
// stay text. Links are made only from http(s) URLs.

export const $ = (id) => document.getElementById(id);

// --- small DOM helpers (text only) -------------------------------------------------

export function el(tag, attrs, ...children) {
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

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function httpUrl(value) {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch (_) {
    return null;
  }
}

export function darken(hex, factor) {
  const c = [1, 3, 5].map((i) => Math.round(parseInt(hex.slice(i, i + 2), 16) * factor));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

// ``hex`` at opacity ``alpha`` (0-1), for highlights whose strength follows their score.
export function tint(hex, alpha) {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${alpha.toFixed(2)})`;
}

export const pct = (x) => `${Math.round(x * 100)}%`;
export const pretty = (name) => name.replace(/_/g, " ");

export function bar(label, value, color, extra) {
  const fill = el("span", { class: "bar-fill" });
  fill.style.width = pct(Math.max(0, Math.min(1, value)));
  if (color) fill.style.backgroundColor = color;
  return el("div", { class: "bar-row" },
    el("span", { class: "bar-label", text: label }),
    el("span", { class: "bar", "aria-hidden": "true" }, fill),
    el("span", { class: "bar-value", text: extra !== undefined ? extra : pct(value) }));
}

export async function api(path, options) {
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
