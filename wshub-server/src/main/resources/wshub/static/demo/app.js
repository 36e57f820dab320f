// wshub chat demo: rooms are tags, private messages go to a user, presence comes from the
// server's chat/presence pushes, applied locally (a full chat/online refresh runs on open and,
// throttled with jitter, a few seconds after pushes). Server side: io.wshub.server.DemoChat.
import { connect } from '/client/wshub.js';

const PRESENCE_TAG = 'chat/presence';
const DEFAULT_ROOM = 'lobby';
/** Messages kept (and shown) per conversation; older ones are dropped. */
const MAX_MESSAGES = 500;
/** A presence push schedules one chat/online resync this long (+ up to as much jitter) later. */
const ONLINE_RESYNC_MS = 2000;
const $ = (id) => document.getElementById(id);

const state = {
  me: null,
  hub: null,
  current: { kind: 'room', id: DEFAULT_ROOM },
  convos: new Map(),   // key -> {kind, id, messages: [], unread}
  online: [],          // [{userId, connections}]
  resyncTimer: null,   // pending throttled chat/online refresh
};

const keyOf = (kind, id) => `${kind}:${id}`;

function convo(kind, id) {
  const key = keyOf(kind, id);
  if (!state.convos.has(key)) state.convos.set(key, { kind, id, messages: [], unread: 0 });
  return state.convos.get(key);
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

function avatar(name) {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)) % 360;
  return el('span', { class: 'avatar', style: `background: hsl(${h} 55% 52%)` }, name.slice(0, 1).toUpperCase());
}

// ---- identity and connection ---------------------------------------------------------------

async function fetchToken(name) {
  const res = await fetch('/demo/token', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name }),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok || !json || json.code !== 0) throw new Error((json && json.message) || `token request failed (HTTP ${res.status})`);
  return json.data.token;
}

async function enter(name) {
  $('welcome-error').textContent = '';
  try {
    await fetchToken(name); // fail here, on the form, if the name is refused
  } catch (err) {
    $('welcome-error').textContent = err.message;
    return;
  }
  state.me = name;
  sessionStorage.setItem('wshub.demo.name', name);
  $('welcome').hidden = true;
  $('app').hidden = false;
  $('me-name').textContent = name;
  $('me-avatar').replaceWith(Object.assign(avatar(name), { id: 'me-avatar' }));

  const hub = connect('/ws', { getToken: () => fetchToken(name) });
  state.hub = hub;
  hub.on('open', () => { setStatus('online'); refreshOnline(); });
  hub.on('reconnecting', ({ delay }) => setStatus('reconnecting', `retry in ${(delay / 1000).toFixed(1)}s`));
  hub.on('close', ({ willReconnect, code }) => {
    if (willReconnect) return;
    if (code !== 4000) setStatus('offline');
    state.online = []; // presence is unknown until we are back
    renderOnline();
  });
  hub.on('kick', ({ reason }) => showKicked(reason));
  hub.on('chat/message', receive);
  hub.on('chat/presence', applyPresence);
  hub.on('error', (err) => { if (typeof err.code === 'number') systemNote(err.message); });
  hub.join(PRESENCE_TAG).catch(() => {});
  await joinRoom(DEFAULT_ROOM);
}

function setStatus(kind, detail = '') {
  $('status').className = `status ${kind}`;
  $('status-text').textContent = detail ? `${kind} · ${detail}` : kind;
}

function showKicked(reason) {
  setStatus('kicked');
  $('kicked-reason').textContent = reason ? `Reason: ${reason}` : '';
  $('kicked-banner').hidden = false;
  $('composer').classList.add('disabled');
}

function rejoin() {
  $('kicked-banner').hidden = true;
  $('composer').classList.remove('disabled');
  setStatus('connecting');
  state.hub.reconnect();
}

// ---- rooms, people, messages ---------------------------------------------------------------

async function joinRoom(room) {
  room = room.trim();
  if (!room) return;
  convo('room', room);
  select('room', room);
  try {
    await state.hub.join(room);
  } catch (err) {
    systemNote(`Could not join ${room}: ${err.message}`);
  }
  renderRooms();
}

async function leaveRoom(room) {
  await state.hub.quit(room).catch(() => {});
  state.convos.delete(keyOf('room', room));
  const next = [...state.convos.values()].find((c) => c.kind === 'room');
  if (next) select('room', next.id); else joinRoom(DEFAULT_ROOM);
  renderRooms();
}

async function refreshOnline() {
  if (!state.hub || !state.hub.connected) return;
  try {
    state.online = await state.hub.request('chat/online');
  } catch {
    return;
  }
  renderOnline();
}

/**
 * Applies one chat/presence push {userId, online, connections} to the local list: connections
 * is the user's count after the change (0 = gone); without it, online counts one up or down.
 * Pushes may arrive out of order, so one full chat/online refresh follows a few seconds later:
 * one per client per burst of pushes, never one per push.
 */
function applyPresence(data) {
  if (!data || !data.userId) return;
  const i = state.online.findIndex((u) => u.userId === data.userId);
  const before = i >= 0 ? state.online[i].connections : 0;
  const n = typeof data.connections === 'number' ? data.connections : Math.max(0, before + (data.online ? 1 : -1));
  if (n > 0 && i >= 0) state.online[i] = { userId: data.userId, connections: n };
  else if (n > 0) state.online.push({ userId: data.userId, connections: n });
  else if (i >= 0) state.online.splice(i, 1);
  renderOnline();
  if (state.resyncTimer === null) {
    state.resyncTimer = setTimeout(() => { state.resyncTimer = null; refreshOnline(); },
      ONLINE_RESYNC_MS + Math.random() * ONLINE_RESYNC_MS);
  }
}

/** Adds a message to a conversation, keeping the last MAX_MESSAGES; appends it on screen if shown. */
function addMessage(c, msg) {
  c.messages.push(msg);
  if (c.messages.length > MAX_MESSAGES) c.messages.splice(0, c.messages.length - MAX_MESSAGES);
  const visible = state.current.kind === c.kind && state.current.id === c.id;
  if (visible) appendMessage(msg);
  return visible;
}

function receive(msg) {
  const kind = msg.private ? 'user' : 'room';
  const id = msg.private ? (msg.from === state.me ? msg.to : msg.from) : msg.room;
  const c = convo(kind, id);
  if (!addMessage(c, msg)) c.unread += 1;
  renderRooms();
  renderOnline();
}

function systemNote(text) {
  addMessage(convo(state.current.kind, state.current.id), { system: true, text, at: Date.now() });
}

async function sendText(e) {
  e.preventDefault();
  const input = $('text');
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  const { kind, id } = state.current;
  try {
    if (kind === 'room') {
      await state.hub.request('chat/room', { room: id, text });
    } else {
      const r = await state.hub.request('chat/private', { to: id, text });
      if (r.delivered === 0) systemNote(`${id} is offline; the message was not delivered.`);
    }
  } catch (err) {
    systemNote(`Not sent: ${err.message}`);
    input.value = text;
  }
}

function select(kind, id) {
  state.current = { kind, id };
  const c = convo(kind, id);
  c.unread = 0;
  $('chat-title').textContent = kind === 'room' ? `# ${id}` : `@ ${id}`;
  $('chat-sub').textContent = kind === 'room' ? 'room · everyone who joined sees messages' : 'private conversation';
  $('leave').hidden = kind !== 'room';
  renderRooms();
  renderOnline();
  renderMessages();
  $('text').focus();
}

// ---- rendering -----------------------------------------------------------------------------

function navItem(kind, id, label, extra) {
  const c = state.convos.get(keyOf(kind, id));
  const active = state.current.kind === kind && state.current.id === id;
  return el('li', { class: active ? 'active' : '', 'data-kind': kind, 'data-id': id, onclick: () => select(kind, id) },
    label, el('span', { class: 'spacer' }), extra,
    c && c.unread ? el('span', { class: 'unread' }, c.unread) : null);
}

function renderRooms() {
  const rooms = [...state.convos.values()].filter((c) => c.kind === 'room').map((c) => c.id).sort();
  $('rooms').replaceChildren(...rooms.map((r) => navItem('room', r, [el('span', { class: 'hash' }, '#'), el('span', {}, r)], null)));
}

function renderOnline() {
  const online = new Map(state.online.filter((u) => u.userId).map((u) => [u.userId, u.connections]));
  // People you talked to privately stay listed (greyed out) after they leave.
  const talked = [...state.convos.values()].filter((c) => c.kind === 'user' && !online.has(c.id)).map((c) => c.id);
  $('online-count').textContent = online.size;
  const item = (userId, connections) => {
    const li = navItem('user', userId,
      el('span', { class: 'person' }, avatar(userId), el('span', {}, userId === state.me ? `${userId} (you)` : userId)),
      connections > 1 ? el('span', { class: 'devices', title: 'connections' }, `×${connections}`) : null);
    if (!connections) li.classList.add('offline');
    return li;
  };
  $('online').replaceChildren(...[...online].map(([u, n]) => item(u, n)), ...talked.sort().map((u) => item(u, 0)));
}

function messageItem(m) {
  if (m.system) return el('li', { class: 'system' }, m.text);
  const mine = m.from === state.me;
  return el('li', { class: `msg${mine ? ' mine' : ''}${m.private ? ' private' : ''}`, 'data-from': m.from },
    mine ? null : avatar(m.from),
    el('div', { class: 'bubble' },
      el('div', { class: 'meta' }, el('strong', {}, mine ? 'you' : m.from), ' ',
        el('time', {}, new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }))),
      el('div', { class: 'text' }, m.text)));
}

/** Redraws the shown conversation (on switching to it). */
function renderMessages() {
  const c = convo(state.current.kind, state.current.id);
  const list = $('messages');
  list.replaceChildren(...c.messages.map(messageItem));
  if (!c.messages.length) list.append(el('li', { class: 'system empty' }, 'No messages yet. Say hi!'));
  list.scrollTop = list.scrollHeight;
}

/** Adds one message to the shown conversation without redrawing the others. */
function appendMessage(m) {
  const list = $('messages');
  const stick = list.scrollHeight - list.scrollTop - list.clientHeight < 40; // reading older ones: stay put
  list.querySelector(':scope > li.empty')?.remove();
  list.append(messageItem(m));
  while (list.children.length > MAX_MESSAGES) list.firstElementChild.remove();
  if (stick) list.scrollTop = list.scrollHeight;
}

// ---- wiring --------------------------------------------------------------------------------

$('name-form').addEventListener('submit', (e) => { e.preventDefault(); enter($('name').value.trim()); });
$('join-form').addEventListener('submit', (e) => { e.preventDefault(); joinRoom($('room-input').value); $('room-input').value = ''; });
$('composer').addEventListener('submit', sendText);
$('leave').addEventListener('click', () => leaveRoom(state.current.id));
$('rejoin').addEventListener('click', rejoin);
$('name').value = sessionStorage.getItem('wshub.demo.name') || '';
