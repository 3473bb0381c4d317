// propscope page, what is shown: the taxonomy, the analysis and the reader's choices.

import { pretty } from "./dom.js";

export const state = {
  taxonomy: null, // {techniques: Map, categories: Map, order: [category names], genreRule, display}
  record: null, // the analysis, in the API's JSON contract
  id: "", // permalink id
  spans: [], // record.spans with a stable number `n`
  hidden: new Set(), // categories toggled off in the legend
};

export function technique(name) {
  return state.taxonomy.techniques.get(name) ||
    { name, title: pretty(name), category: "", definition: "" };
}

export function category(name) {
  return state.taxonomy.categories.get(name) ||
    { name, title: pretty(name || "other"), color: "#dddddd", description: "" };
}
