// wshub admin dashboard: talks only to the HTTP API (docs/protocol.md §4) with the X-API-Key header.
// Every value from the server is put in the page as text (never as HTML).

import { createLive } from '/admin/live.js';
import { createHistory } from '/admin/history.js';
import { createNodes } from '/admin/nodes.js';

const KEY_STORAGE = 'wshub.apiKey';
const REFRESH_MS = 2000;
const $ = (id) => document.getElementById(id);

const state = {
  apiKey: sessionStorage.getItem(KEY_STORAGE),
  filters: {},
  page: 1,
  perPage: 20,
  timer: null,     // the next poll (a setTimeout chained after each refresh finishes)
  seq: 0,          // refresh() sequence: only the latest one may render
  lastStats: null, // {at, messagesIn, messagesOut} for the per-second rates
  kickTarget: null,
};

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: { 'X-API-Key': state.apiKey, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  let json = null;
  try { json = await res.json(); } catch { /* not JSON */ }
  if (!res.ok || !json || json.code !== 0) {
    throw new ApiError(res.status, (json && json.message) || `${method} ${path}: HTTP ${res.status}`);
  }
  return json.data;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

function toast(text, kind = 'ok') {
  const t = el('div', { class: `toast ${kind}` }, text);
  $('toasts').append(t);
  setTimeout(() => t.remove(), 4000);
}

// ---- formatting ----------------------------------------------------------------------------

function toDate(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return new Date(v < 1e12 ? v * 1000 : v);
  return new Date(v);
}

function ago(v) {
  const d = toDate(v);
  if (!d || isNaN(d)) return '–';
  const s = Math.max(0, Math.round((Date.now() - d.getTime()) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return d.toLocaleString();
}

function duration(seconds) {
  if (typeof seconds !== 'number') return '–';
  const d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600);
  const m = Math.floor(seconds % 3600 / 60), s = Math.floor(seconds % 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s}s`;
  return `${s}s`;
}

const num = (n) => (typeof n === 'number' ? n.toLocaleString() : '–');

// ---- rendering -----------------------------------------------------------------------------

function renderStats(s) {
  const now = Date.now();
  $('stat-connections').textContent = num(s.connections);
  $('stat-users').textContent = num(s.users);
  $('stat-tags').textContent = num(s.tags);
  $('stat-uptime').textContent = duration(s.uptimeSeconds);
  const nodes = Array.isArray(s.nodes) ? s.nodes : [];
  $('stat-nodes').textContent = nodes.length ? `${nodes.length} node${nodes.length > 1 ? 's' : ''}: ${nodes.join(', ')}` : '';
  $('stat-in-total').textContent = `${num(s.messagesIn)} total`;
  $('stat-out-total').textContent = `${num(s.messagesOut)} total`;
  const last = state.lastStats;
  if (last && now > last.at) {
    const secs = (now - last.at) / 1000;
    $('stat-in-rate').textContent = rate((s.messagesIn - last.messagesIn) / secs);
    $('stat-out-rate').textContent = rate((s.messagesOut - last.messagesOut) / secs);
  }
  state.lastStats = { at: now, messagesIn: s.messagesIn, messagesOut: s.messagesOut };
}

const rate = (r) => (isFinite(r) && r >= 0 ? (r < 10 ? r.toFixed(1) : Math.round(r).toLocaleString()) : '–');

function renderClients(page) {
  const body = $('clients').querySelector('tbody');
  body.replaceChildren(...page.list.map((c) => el('tr', { 'data-client-id': c.id },
    el('td', { class: 'mono', title: c.userAgent || '' }, c.id),
    el('td', {}, c.userId ? filterLink('userId', c.userId) : el('span', { class: 'muted' }, 'anonymous')),
    el('td', { class: 'mono' }, filterLink('ip', c.ip)),
    el('td', {}, (c.tags || []).map((t) => el('span', { class: 'chip', onclick: () => setFilter('tag', t) }, t))),
    el('td', { title: String(toDate(c.connectedAt)) }, ago(c.connectedAt)),
    el('td', { title: String(toDate(c.lastSeenAt)) }, ago(c.lastSeenAt)),
    el('td', { class: 'mono muted' }, c.node || ''),
    el('td', { class: 'actions' },
      el('button', { class: 'btn small ghost', type: 'button', title: 'send to this client', onclick: () => prepareSend('client', c.id) }, 'Message'),
      el('button', { class: 'btn small danger kick', type: 'button', onclick: () => askKick('client', c.id) }, 'Kick')),
  )));
  $('clients-empty').hidden = page.list.length > 0;
  $('clients-total').textContent = page.total;
  const pages = Math.max(1, Math.ceil(page.total / page.perPage));
  $('page-info').textContent = `page ${page.page} of ${pages}`;
  $('prev').disabled = page.page <= 1;
  $('next').disabled = page.page >= pages;
}

function filterLink(field, value) {
  return el('a', { href: '#', onclick: (e) => { e.preventDefault(); setFilter(field, value); } }, value);
}

function renderUsers(data) {
  $('users-total').textContent = data.total;
  $('users').replaceChildren(...data.list.map((u) => el('li', {},
    el('a', { href: '#', class: 'name', onclick: (e) => { e.preventDefault(); setFilter('userId', u.userId); } }, u.userId),
    el('span', { class: 'badge', title: 'connections' }, u.connections),
    el('span', { class: 'spacer' }),
    el('button', { class: 'btn small ghost', type: 'button', onclick: () => prepareSend('user', u.userId) }, 'Message'),
    el('button', { class: 'btn small danger', type: 'button', onclick: () => askKick('user', u.userId) }, 'Kick'))));
  if (!data.list.length) $('users').append(el('li', { class: 'muted' }, 'No users online.'));
}

function renderTags(data) {
  $('tags-total').textContent = data.total;
  $('tags').replaceChildren(...data.list.map((t) => el('li', {},
    el('a', { href: '#', class: 'name', onclick: (e) => { e.preventDefault(); setFilter('tag', t.tag); } }, t.tag),
    el('span', { class: 'badge', title: 'members' }, t.members),
    el('span', { class: 'spacer' }),
    el('button', { class: 'btn small ghost', type: 'button', onclick: () => prepareSend('tag', t.tag) }, 'Message'))));
  if (!data.list.length) $('tags').append(el('li', { class: 'muted' }, 'No tags.'));
}

// ---- actions -------------------------------------------------------------------------------

/** Loads and renders everything; a response overtaken by a later refresh() (or sign-out) is dropped. */
async function refresh() {
  const seq = ++state.seq;
  const q = new URLSearchParams({ page: state.page, perPage: state.perPage });
  for (const [k, v] of Object.entries(state.filters)) if (v) q.set(k, v);
  try {
    const [stats, clients, users, tags, nodeList] = await Promise.all([
      api('GET', '/api/stats'), api('GET', `/api/clients?${q}`), api('GET', '/api/users'), api('GET', '/api/tags'),
      api('GET', '/api/nodes'),
      live.poll(),
    ]);
    if (seq !== state.seq) return;
    renderStats(stats);
    live.sample(stats);
    renderClients(clients);
    renderUsers(users);
    renderTags(tags);
    nodes.render(nodeList);
    setLive(true);
  } catch (err) {
    if (seq !== state.seq) return;
    if (err.status === 401) { signOut('The API key was refused.'); return; }
    setLive(false, err.message);
  }
}

function setLive(ok, why) {
  $('live').classList.toggle('down', !ok);
  $('live-text').textContent = ok ? 'live' : 'offline';
  $('live').title = ok ? `refreshed ${new Date().toLocaleTimeString()}` : why;
}

function setFilter(field, value) {
  const form = $('filters');
  form.elements[field].value = value;
  applyFilters();
}

function applyFilters() {
  const f = $('filters').elements;
  state.filters = { userId: f.userId.value.trim(), tag: f.tag.value.trim(), ip: f.ip.value.trim() };
  state.page = 1;
  refresh();
}

function prepareSend(target, to) {
  $('send-target').value = target;
  $('send-to').disabled = false;
  $('send-to').value = to;
  $('send-event').focus();
}

async function send(e) {
  e.preventDefault();
  const target = $('send-target').value;
  const to = $('send-to').value.trim();
  let data;
  const raw = $('send-data').value.trim();
  try { data = raw ? JSON.parse(raw) : null; } catch { toast('Data is not valid JSON', 'bad'); return; }
  if (target !== 'all' && !to) { toast(`Enter the ${target} to send to`, 'bad'); return; }
  const path = target === 'all' ? '/api/send/all' : `/api/send/${target}/${encodeURIComponent(to)}`;
  try {
    const r = await api('POST', path, { event: $('send-event').value.trim(), data });
    // On a target with history the answer also says where the message went (docs/history.md).
    const kept = r.stream ? ` · kept in ${r.stream} at offset ${r.offset}` : '';
    $('send-result').textContent = `delivered to ${r.delivered} connection${r.delivered === 1 ? '' : 's'}${kept}`;
    toast(`Sent: delivered ${r.delivered}`);
    refresh();
  } catch (err) {
    toast(err.message, 'bad');
  }
}

function askKick(kind, id) {
  state.kickTarget = { kind, id };
  $('kick-target').textContent = `${kind} ${id}`;
  $('kick-dialog').showModal();
}

async function kick() {
  const { kind, id } = state.kickTarget;
  const reason = $('kick-reason').value.trim() || 'kicked by operator';
  const path = kind === 'user' ? `/api/users/${encodeURIComponent(id)}/kick` : `/api/clients/${encodeURIComponent(id)}/kick`;
  try {
    const r = await api('POST', path, { reason });
    toast(`Kicked ${r.kicked} connection${r.kicked === 1 ? '' : 's'}`);
  } catch (err) {
    toast(err.message, 'bad');
  }
  refresh();
}

// ---- session -------------------------------------------------------------------------------

async function signIn(key) {
  state.apiKey = key;
  try {
    await api('GET', '/api/stats');
  } catch (err) {
    signOut(err.status === 401 ? 'That API key was refused.' : err.message);
    return;
  }
  sessionStorage.setItem(KEY_STORAGE, key);
  $('login').hidden = true;
  $('dashboard').hidden = false;
  $('session').hidden = false;
  await refresh();
  schedule();
}

function signOut(message = '') {
  sessionStorage.removeItem(KEY_STORAGE);
  state.apiKey = null;
  state.lastStats = null;
  live.reset();
  state.seq += 1; // drop responses still in flight
  clearTimeout(state.timer);
  state.timer = null;
  $('dashboard').hidden = true;
  $('session').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  $('api-key').focus();
}

/**
 * Polls every REFRESH_MS after the previous refresh finished (never two at once, however slow
 * the server), and not at all while the tab is hidden; becoming visible refreshes and resumes.
 */
function schedule() {
  clearTimeout(state.timer);
  state.timer = null;
  if (!$('auto-refresh').checked || !state.apiKey || document.hidden) return;
  state.timer = setTimeout(poll, REFRESH_MS);
}

async function poll() {
  state.timer = null;
  if (!state.apiKey || document.hidden) return;
  await refresh();
  if (state.timer === null) schedule(); // unless something already scheduled the next one
}

function wire() {
  $('login-form').addEventListener('submit', (e) => { e.preventDefault(); signIn($('api-key').value.trim()); });
  $('logout').addEventListener('click', () => signOut());
  $('auto-refresh').addEventListener('change', schedule);
  $('filters').addEventListener('submit', (e) => { e.preventDefault(); applyFilters(); });
  $('filters').addEventListener('reset', () => setTimeout(applyFilters));
  $('prev').addEventListener('click', () => { state.page = Math.max(1, state.page - 1); refresh(); });
  $('next').addEventListener('click', () => { state.page += 1; refresh(); });
  $('per-page').addEventListener('change', (e) => { state.perPage = Number(e.target.value); state.page = 1; refresh(); });
  $('send-target').addEventListener('change', (e) => { $('send-to').disabled = e.target.value === 'all'; });
  $('send-form').addEventListener('submit', send);
  $('kick-dialog').addEventListener('close', () => { if ($('kick-dialog').returnValue === 'kick') kick(); });
  document.addEventListener('visibilitychange', () => {
    if (document.hidden || !state.apiKey) { schedule(); return; } // clears the pending poll
    if ($('auto-refresh').checked) poll(); else refresh();
  });
}

const live = createLive($, el, api);
createHistory($, el, api, toast);
const nodes = createNodes($, el);
wire();
if (state.apiKey) signIn(state.apiKey); else signOut();
