// Live views of the admin dashboard: charts of the last minutes (sampled from GET /api/stats on
// every refresh) and the event log (GET /api/events, this node's connects, closes, kicks, joins).
// Every value from the server goes into the page as text or SVG attributes, never as HTML.

const SVG = 'http://www.w3.org/2000/svg';
/** 150 samples at the 2 s refresh: the last five minutes. */
const SAMPLES = 150;
/** Events kept in the page; older ones scroll away. */
const MAX_EVENTS = 500;

export function createLive($, el, api) {
  const series = { connections: [], in: [], out: [] };
  let last = null;     // previous stats sample, for the rates
  let after = 0;       // newest event sequence number seen
  const events = [];   // newest last

  function push(list, value) {
    list.push(value);
    if (list.length > SAMPLES) list.shift();
  }

  /** Adds one stats sample and redraws the charts. */
  function sample(stats) {
    const now = Date.now();
    push(series.connections, stats.connections);
    if (last && now > last.at) {
      const secs = (now - last.at) / 1000;
      push(series.in, Math.max(0, (stats.messagesIn - last.messagesIn) / secs));
      push(series.out, Math.max(0, (stats.messagesOut - last.messagesOut) / secs));
    }
    last = { at: now, messagesIn: stats.messagesIn, messagesOut: stats.messagesOut };
    draw('chart-connections', series.connections);
    draw('chart-in', series.in);
    draw('chart-out', series.out);
  }

  /** A polyline over `values`, scaled to the chart's height; the top label shows the peak. */
  function draw(id, values) {
    const svg = $(id);
    const w = 300, h = 80;
    const peak = Math.max(1, ...values);
    const step = w / (SAMPLES - 1);
    const offset = SAMPLES - values.length; // new samples enter on the right
    const points = values.map((v, i) => `${((offset + i) * step).toFixed(1)},${(h - (v / peak) * (h - 4) - 2).toFixed(1)}`).join(' ');
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', points);
    line.setAttribute('class', 'line');
    svg.replaceChildren(line);
    svg.dataset.samples = String(values.length);
    $(`${id}-peak`).textContent = `peak ${fmt(peak)}`;
    $(`${id}-now`).textContent = values.length ? fmt(values[values.length - 1]) : '–';
  }

  const fmt = (n) => (n < 10 && !Number.isInteger(n) ? n.toFixed(1) : Math.round(n).toLocaleString());

  /** Fetches events newer than the last one seen and renders the log. */
  async function poll() {
    const data = await api('GET', `/api/events?after=${after}&limit=500`);
    if (data.last < after) events.length = 0; // the server restarted: its numbers start over
    after = data.last;
    events.push(...data.list);
    if (events.length > MAX_EVENTS) events.splice(0, events.length - MAX_EVENTS);
    render();
  }

  function render() {
    const filter = $('events-filter').value.trim().toLowerCase();
    const shown = events.filter((e) => !filter
      || (e.userId || '').toLowerCase().includes(filter) || (e.tag || '').toLowerCase().includes(filter))
      .slice(-100).reverse();
    $('events').replaceChildren(...shown.map((e) => el('li', { class: `event ${e.kind}`, 'data-kind': e.kind },
      el('span', { class: 'time mono' }, new Date(e.at * 1000).toLocaleTimeString()),
      el('span', { class: 'kind' }, e.kind),
      el('span', { class: 'who' }, e.userId || 'anonymous'),
      el('span', { class: 'mono muted' }, e.clientId),
      e.tag ? el('span', { class: 'chip' }, e.tag) : null,
      e.code ? el('span', { class: 'badge', title: 'close code' }, e.code) : null,
      e.reason ? el('span', { class: 'muted' }, e.reason) : null)));
    $('events-empty').hidden = shown.length > 0;
  }

  function reset() {
    for (const s of Object.values(series)) s.length = 0;
    last = null;
    after = 0;
    events.length = 0;
  }

  $('events-filter').addEventListener('input', render);
  return { sample, poll, reset };
}
