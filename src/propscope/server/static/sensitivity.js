// propscope page, the sensitivity selector (sensitivity.py's levels).
//
// The select's options are the named levels; each carries its threshold shift (logits) in
// data-shift, so a result's model.sensitivity maps back to a name. The chosen level is sent
// with every analysis, so the page analyses at the level it shows.

import { $, el } from "./dom.js";

export const sensitivitySelect = $("sensitivity");

function sensitivityOption(shift) {
  return Array.from(sensitivitySelect.options)
    .find((o) => o.dataset.shift !== undefined && Math.abs(Number(o.dataset.shift) - shift) < 1e-9);
}

export function sensitivityName(shift) {
  const option = sensitivityOption(shift);
  return option ? option.value : String(shift);
}

// Sets the select to a result's level; a shift without a name (asked for through the API)
// gets an option of its own, so re-analysing uses it too.
export function selectSensitivity(shift) {
  let option = sensitivityOption(shift);
  if (!option) {
    option = el("option", { value: String(shift), "data-shift": String(shift),
      text: `${shift} — the level this analysis was made at` });
    sensitivitySelect.append(option);
  }
  sensitivitySelect.value = option.value;
}

export function recordSensitivity(record) {
  const shift = Number(record.model && record.model.sensitivity);
  return Number.isFinite(shift) ? shift : 0; // analyses kept before sensitivity existed: 0
}
