// stance annotate: plain JavaScript, no build step, nothing fetched from elsewhere.
"use strict";

const TOKEN = document.querySelector('meta[name="stance-token"]').content;
const LABEL_KEYS = {"1": "cooperation", "2": "hostility", "3": "accusation", "4": "none",
                    "c": "cooperation", "h": "hostility", "a": "accusation", "n": "none"};
const $ = (sel) => document.querySelector(sel);

const S = {
  config: null, item: null, labels: {}, claim: false, source: null, mentions: [],
  focus: 0, history: [], pos: -1, undo: [], busy: false, pending: null, finished: false,
};

function uuid() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

async function api(method, path, body) {
  const opts = {method, headers: {}};
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.headers["X-Stance-Token"] = TOKEN;
    opts.body = JSON.stringify(body);
  }
  // A network failure is retried with the same body (same decision key): the
  // server answers a repeated key with the first result, so nothing is doubled.
  for (let attempt = 0; ; attempt++) {
    let resp;
    try {
      resp = await fetch(path, opts);
    } catch (err) {
      if (attempt < 3) { await new Promise((r) => setTimeout(r, 300 * (attempt + 1))); continue; }
      throw new Error("the server does not answer (is `stance annotate` still running?)");
    }
    const data = await resp.json().catch(() => ({error: `HTTP ${resp.status}`}));
    if (!resp.ok) { const e = new Error(data.error || `HTTP ${resp.status}`); e.status = resp.status; throw e; }
    return data;
  }
}

function say(text, kind) {
  const m = $("#message");
  m.textContent = text || "";
  m.className = kind || "";
}

// ---- actors and their colours ------------------------------------------------
function actorName(id) {
  const a = S.config.actors.find((x) => x.id === id);
  return a ? a.name : id;
}
function hue(id) {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}
function actorsInOrder() {
  return [...new Set(S.mentions.slice().sort((a, b) => a.start - b.start).map((m) => m.actor))];
}

// ---- rendering ---------------------------------------------------------------
function renderSentence() {
  const el = $("#sentence");
  el.textContent = "";
  const item = S.item;
  const cps = Array.from(item.text); // code points: offsets are Python str indices
  let at = 0;
  const ms = S.mentions.slice().sort((a, b) => a.start - b.start);
  const focusActor = actorsInOrder()[S.focus];
  for (const m of ms) {
    const s = m.start - item.start, e = m.end - item.start;
    if (s > at) el.append(document.createTextNode(cps.slice(at, s).join("")));
    const mark = document.createElement("mark");
    mark.textContent = cps.slice(s, e).join("");
    mark.dataset.actor = m.actor;
    mark.title = `${m.actor}: ${actorName(m.actor)}`;
    mark.style.setProperty("--h", hue(m.actor));
    if (m.actor === focusActor) mark.classList.add("active");
    el.append(mark);
    at = e;
  }
  if (at < cps.length) el.append(document.createTextNode(cps.slice(at).join("")));
}

function renderContext() {
  for (const [sel, list] of [["#before", S.item.before], ["#after", S.item.after]]) {
    const el = $(sel);
    el.textContent = "";
    for (const c of list) {
      const p = document.createElement("p");
      p.textContent = c.text;
      el.append(p);
    }
  }
  const where = S.item.saved ? "decided, shown as saved" : S.item.skipped ? "skipped before" : "new";
  $("#meta").textContent = `${S.item.id} · ${where}`;
}

function renderActors() {
  const body = $("#actors tbody");
  body.textContent = "";
  const actors = actorsInOrder();
  const sugg = S.item.suggestion;
  actors.forEach((actor, i) => {
    const tr = document.createElement("tr");
    tr.dataset.actor = actor;
    if (i === S.focus) tr.classList.add("focus");
    const th = document.createElement("th");
    th.innerHTML = "";
    const id = document.createElement("span");
    id.className = "actor-id";
    id.textContent = actor;
    id.style.setProperty("--h", hue(actor));
    const name = document.createElement("span");
    name.className = "actor-name";
    name.textContent = actorName(actor);
    th.append(id, name);
    th.addEventListener("click", () => { S.focus = i; render(); });
    const chips = document.createElement("div");
    chips.className = "chips";
    for (const m of S.mentions.filter((x) => x.actor === actor)) {
      const chip = document.createElement("span");
      chip.className = "chip";
      chip.textContent = m.text;
      const x = document.createElement("button");
      x.type = "button";
      x.className = "remove";
      x.title = "remove this mention";
      x.textContent = "×";
      x.addEventListener("click", () => removeMention(m));
      chip.append(x);
      chips.append(chip);
    }
    th.append(chips);
    tr.append(th);
    S.config.labels.forEach((label, k) => {
      const td = document.createElement("td");
      const b = document.createElement("button");
      b.type = "button";
      b.className = `label ${label}`;
      b.dataset.label = label;
      b.innerHTML = "";
      const kbd = document.createElement("kbd");
      kbd.textContent = String(k + 1);
      b.append(kbd, document.createTextNode(" " + label));
      if (S.labels[actor] === label) b.classList.add("selected");
      if (sugg && sugg.stances && sugg.stances[actor] === label) {
        b.classList.add("suggested");
        const p = sugg.probabilities[actor][label];
        b.title = `model: ${label} (${Math.round(p * 100)}%)`;
      }
      b.addEventListener("click", () => { S.focus = i; setLabel(label, false); });
      td.append(b);
      tr.append(td);
    });
    body.append(tr);
  });
  $("#no-actors").hidden = actors.length > 0;
}

function renderClaimSource() {
  for (const b of document.querySelectorAll("#claim-row button")) {
    b.classList.toggle("selected", String(S.claim) === b.dataset.claim);
  }
  const box = $("#sources");
  box.textContent = "";
  const options = [...actorsInOrder(), null];
  for (const opt of options) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "choice source";
    b.textContent = opt === null ? "other/none" : opt;
    b.dataset.source = opt === null ? "" : opt;
    b.disabled = !S.claim;
    if (S.claim && S.source === opt) b.classList.add("selected");
    b.addEventListener("click", () => { if (S.claim) { S.source = opt; render(); } });
    box.append(b);
  }
}

function renderProgress(p) {
  if (!p) return;
  const pct = p.total ? Math.round((100 * p.done) / p.total) : 0;
  $("#bar-fill").style.width = pct + "%";
  $("#progress-text").textContent = `${p.done} of ${p.total} done · ${p.remaining} remaining`;
  const stats = $("#stats");
  stats.textContent = "";
  const add = (dl, k, v) => {
    const dt = document.createElement("dt"); dt.textContent = k;
    const dd = document.createElement("dd"); dd.textContent = v;
    dl.append(dt, dd);
  };
  add(stats, "done", p.done);
  add(stats, "remaining", p.remaining);
  add(stats, "skipped", p.skipped);
  add(stats, "claims", p.claims);
  for (const [label, n] of Object.entries(p.labels)) add(stats, label, n);
  add(stats, "order", p.mode);
  if (S.config.annotator) add(stats, "annotator", S.config.annotator);
  const model = $("#model");
  model.textContent = "";
  const m = p.model;
  if (m.state === "none") {
    add(model, "model", "none");
  } else {
    add(model, "state", m.state + (m.retrains ? ` (refit ${m.retrains}×)` : ""));
    add(model, "trained on", `${m.trained_on_sentences} sentences`);
    add(model, "macro-F1", m.cv_macro_f1 === null ? "–" : m.cv_macro_f1.toFixed(3));
    if (m.cv_note) add(model, "", m.cv_note);
    if (m.error) add(model, "error", m.error);
  }
  model.parentElement.dataset.suggest = S.config.suggest ? "suggest" : "blind";
}

function render() {
  const done = S.finished || !S.item;
  $("#done").hidden = !done;
  for (const id of ["#sentence", "#before", "#after", "#meta", "#decision"]) $(id).hidden = done;
  if (done) return;
  renderContext();
  renderSentence();
  renderActors();
  renderClaimSource();
}

// ---- loading an item ------------------------------------------------------
function show(item, progress) {
  S.finished = !item;
  S.item = item;
  S.pending = null;
  $("#add-mention").hidden = true;
  if (item) {
    const saved = item.saved, sugg = item.suggestion;
    S.mentions = (item.mentions || []).map((m) => ({...m}));
    S.labels = {};
    for (const a of actorsInOrder()) {
      S.labels[a] = saved ? saved.stances[a] || null : (sugg && sugg.stances[a]) || null;
    }
    S.claim = saved ? saved.claim : (sugg && sugg.claim !== null ? sugg.claim : false);
    S.source = saved ? saved.source : (sugg && sugg.claim ? sugg.source : null);
    $("#note").value = saved && saved.note ? saved.note : "";
    const unlabelled = actorsInOrder().findIndex((a) => !S.labels[a]);
    S.focus = unlabelled >= 0 ? unlabelled : 0;
  }
  render();
  renderProgress(progress);
  document.body.dataset.item = item ? item.id : "";
  document.body.dataset.ready = "1";
}

async function load(id) {
  const data = await api("GET", `/api/item/${encodeURIComponent(id)}`);
  show(data.item, data.progress);
}

async function loadNext(exclude) {
  const q = exclude && exclude.length ? `?exclude=${encodeURIComponent(exclude.join(","))}` : "";
  const data = await api("GET", `/api/next${q}`);
  if (data.item) {
    S.history = S.history.slice(0, S.pos + 1);
    S.history.push(data.item.id);
    S.pos = S.history.length - 1;
  } else {
    S.pos = S.history.length;
  }
  show(data.item, data.progress);
}

async function guarded(fn) {
  if (S.busy) return; // one request at a time: a double key press does nothing twice
  S.busy = true;
  document.body.dataset.busy = "1";
  try {
    await fn();
  } catch (err) {
    say(err.message, "error");
    if (err.status === 409 && S.item) await load(S.item.id).catch(() => {});
  } finally {
    S.busy = false;
    document.body.dataset.busy = "";
  }
}

// ---- decisions -------------------------------------------------------------
function setLabel(label, advance) {
  const actors = actorsInOrder();
  if (!actors.length) return;
  S.labels[actors[S.focus]] = label;
  if (advance && S.focus < actors.length - 1) S.focus += 1;
  render();
}

function moveFocus(step) {
  const n = actorsInOrder().length;
  if (!n) return;
  S.focus = (S.focus + step + n) % n;
  render();
}

function toggleClaim() {
  S.claim = !S.claim;
  if (!S.claim) S.source = null;
  render();
}

function cycleSource() {
  if (!S.claim) { S.claim = true; }
  const options = [...actorsInOrder(), null];
  const i = options.indexOf(S.source);
  S.source = options[(i + 1) % options.length];
  render();
}

function payload() {
  const stances = {};
  for (const a of actorsInOrder()) stances[a] = S.labels[a];
  const note = $("#note").value.trim();
  const p = {key: uuid(), id: S.item.id, rev: S.item.rev, claim: S.claim,
             source: S.claim ? S.source : null, stances,
             mentions: S.mentions.map((m) => ({actor: m.actor, start: m.start, end: m.end}))};
  if (note) p.note = note;
  return p;
}

function accept() {
  if (!S.item) return;
  const missing = actorsInOrder().filter((a) => !S.labels[a]);
  if (missing.length) {
    S.focus = actorsInOrder().indexOf(missing[0]);
    render();
    say(`label every actor first (missing: ${missing.join(", ")})`, "error");
    return;
  }
  guarded(async () => {
    const before = S.item.saved;
    const data = await api("POST", "/api/decide", payload());
    S.undo.push({id: S.item.id, before, rev: data.result.rev});
    say(`saved ${S.item.id}${data.result.duplicate ? " (already saved)" : ""}`, "ok");
    if (S.pos < S.history.length - 1) await load(S.history[++S.pos]);
    else await loadNext();
  });
}

function skip() {
  if (!S.item) return;
  guarded(async () => {
    const id = S.item.id;
    await api("POST", "/api/skip", {key: uuid(), id, rev: S.item.rev});
    say(`skipped ${id}; it comes back at the end`, "ok");
    await loadNext([id]);
  });
}

function back() {
  if (S.pos <= 0) { say("nothing before this one in this tab", "error"); return; }
  guarded(async () => { S.pos -= 1; await load(S.history[S.pos]); say("", ""); });
}

function undo() {
  const last = S.undo.pop();
  if (!last) { say("nothing to undo", "error"); return; }
  guarded(async () => {
    if (last.before) {
      const b = last.before;
      const body = {key: uuid(), id: last.id, rev: last.rev, claim: b.claim, source: b.source,
                    stances: b.stances,
                    mentions: (b.mentions || []).map((m) => ({actor: m.actor, start: m.start, end: m.end}))};
      if (b.note) body.note = b.note;
      await api("POST", "/api/decide", body);
    } else {
      await api("POST", "/api/clear", {key: uuid(), id: last.id, rev: last.rev});
    }
    const at = S.history.lastIndexOf(last.id);
    if (at >= 0) S.pos = at; else { S.history.push(last.id); S.pos = S.history.length - 1; }
    await load(last.id);
    say(`undone: ${last.id}`, "ok");
  });
}

// ---- mentions ----------------------------------------------------------------
function textBefore(container, node, offset) {
  // characters of the sentence before (node, offset); actor tags are CSS-only, not text
  const r = document.createRange();
  r.setStart(container, 0);
  r.setEnd(node, offset);
  return r.toString().length;
}

function onSelect() {
  const sel = window.getSelection();
  const el = $("#sentence");
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed || !S.item) return;
  const r = sel.getRangeAt(0);
  if (!el.contains(r.startContainer) || !el.contains(r.endContainer)) return;
  const text = S.item.text;
  let a = textBefore(el, r.startContainer, r.startOffset);
  let b = textBefore(el, r.endContainer, r.endOffset);
  while (a < b && /\s/.test(text[a])) a++;
  while (b > a && /\s/.test(text[b - 1])) b--;
  if (a >= b) return;
  // UTF-16 positions -> code points (Python str indices)
  const cpA = Array.from(text.slice(0, a)).length, cpB = Array.from(text.slice(0, b)).length;
  S.pending = {start: S.item.start + cpA, end: S.item.start + cpB, text: text.slice(a, b)};
  $("#selection-text").textContent = S.pending.text;
  $("#add-mention").hidden = false;
}

function addMention() {
  if (!S.pending) { say("select the words of the mention in the sentence first", "error"); return; }
  const id = $("#actor-input").value.trim().toUpperCase();
  if (!S.config.actors.some((a) => a.id === id)) {
    say(`${id || "(empty)"} is not an actor id of the dictionary`, "error");
    $("#actor-input").focus();
    return;
  }
  const p = S.pending;
  const clash = S.mentions.find((m) => p.start < m.end && m.start < p.end);
  if (clash) { say(`overlaps the mention "${clash.text}"; remove that one first`, "error"); return; }
  S.mentions.push({actor: id, start: p.start, end: p.end, text: p.text});
  if (!(id in S.labels)) S.labels[id] = null;
  S.pending = null;
  $("#actor-input").value = "";
  $("#actor-input").blur();
  $("#add-mention").hidden = true;
  window.getSelection().removeAllRanges();
  S.focus = actorsInOrder().indexOf(id);
  say(`added ${id} "${p.text}"`, "ok");
  render();
}

function removeMention(m) {
  S.mentions = S.mentions.filter((x) => x !== m);
  cleanLabels();
}

function removeFocusedActor() {
  const actor = actorsInOrder()[S.focus];
  if (!actor) return;
  S.mentions = S.mentions.filter((x) => x.actor !== actor);
  cleanLabels();
  say(`removed the mentions of ${actor}`, "ok");
}

function cleanLabels() {
  const actors = actorsInOrder();
  for (const a of Object.keys(S.labels)) if (!actors.includes(a)) delete S.labels[a];
  if (S.source && !actors.includes(S.source)) S.source = null;
  S.focus = Math.min(S.focus, Math.max(0, actors.length - 1));
  render();
}

// ---- keyboard ------------------------------------------------------------------
function onKey(ev) {
  const t = ev.target;
  const typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA");
  if (typing) {
    if (ev.key === "Escape") { t.blur(); ev.preventDefault(); }
    else if (ev.key === "Enter" && t.id === "actor-input") { ev.preventDefault(); addMention(); }
    else if (ev.key === "Enter" && t.id === "note") { ev.preventDefault(); t.blur(); accept(); }
    return;
  }
  if (ev.ctrlKey || ev.metaKey || ev.altKey) {
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "z") { ev.preventDefault(); undo(); }
    return;
  }
  const key = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
  if (key in LABEL_KEYS && !ev.shiftKey) { ev.preventDefault(); setLabel(LABEL_KEYS[key], true); return; }
  switch (key) {
    case "Tab": ev.preventDefault(); moveFocus(ev.shiftKey ? -1 : 1); break;
    case "ArrowDown": ev.preventDefault(); moveFocus(1); break;
    case "ArrowUp": ev.preventDefault(); moveFocus(-1); break;
    case "Enter": ev.preventDefault(); accept(); break;
    case "Backspace": ev.preventDefault(); back(); break;
    case "k": ev.preventDefault(); skip(); break;
    case "u": ev.preventDefault(); undo(); break;
    case "x": ev.preventDefault(); toggleClaim(); break;
    case "s": ev.preventDefault(); cycleSource(); break;
    case "o": ev.preventDefault(); S.source = null; render(); break;
    case "m": ev.preventDefault();
      if (S.pending) { $("#add-mention").hidden = false; $("#actor-input").focus(); }
      else say("select the words of the mention in the sentence first", "error");
      break;
    case "Delete": ev.preventDefault(); removeFocusedActor(); break;
    case "/": ev.preventDefault(); $("#note").focus(); break;
    default: break;
  }
}

// ---- start -------------------------------------------------------------------
async function start() {
  S.config = await api("GET", "/api/config");
  $("#out-name").textContent = S.config.out;
  const list = $("#actor-list");
  for (const a of S.config.actors) {
    const o = document.createElement("option");
    o.value = a.id;
    o.label = a.name;
    list.append(o);
  }
  document.addEventListener("keydown", onKey);
  $("#sentence").addEventListener("mouseup", onSelect);
  document.addEventListener("selectionchange", () => {
    const sel = window.getSelection();
    if (sel && !sel.isCollapsed && $("#sentence").contains(sel.anchorNode)) onSelect();
  });
  $("#add-mention-btn").addEventListener("click", addMention);
  $("#accept-btn").addEventListener("click", accept);
  $("#skip-btn").addEventListener("click", skip);
  $("#back-btn").addEventListener("click", back);
  $("#undo-btn").addEventListener("click", undo);
  for (const b of document.querySelectorAll("#claim-row button")) {
    b.addEventListener("click", () => { S.claim = b.dataset.claim === "true"; if (!S.claim) S.source = null; render(); });
  }
  // keep the progress panel current while a background refit runs
  setInterval(() => { if (!S.busy) api("GET", "/api/progress").then(renderProgress).catch(() => {}); }, 5000);
  await loadNext();
}

start().catch((err) => say(err.message, "error"));
