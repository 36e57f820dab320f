// The dashboard's history view: a tag's or user's history stream (GET /api/history/{tag|user}/{id},
// docs/history.md): its position (offset and epoch, what reconnecting clients recover from) and the
// kept messages after an offset, and a button that drops the stream (DELETE, a new epoch).
// Every value from the server goes into the page as text, never as HTML.

/** Messages one read shows; the server keeps at most its rule's size anyway. */
const LIMIT = 100;

export function createHistory($, el, api, toast) {
  let shown = null; // {kind, id} of the stream on screen

  function path(kind, id) {
    return `/api/history/${kind}/${encodeURIComponent(id)}`;
  }

  async function show(e) {
    if (e) e.preventDefault();
    const kind = $('history-kind').value;
    const id = $('history-id').value.trim();
    const since = Math.max(0, Number($('history-since').value) || 0);
    if (!id) { toast(`Enter the ${kind} whose history to show`, 'bad'); return; }
    try {
      const s = await api('GET', `${path(kind, id)}?since=${since}&limit=${LIMIT}`);
      shown = { kind, id };
      render(s);
    } catch (err) {
      shown = null;
      $('history').querySelector('tbody').replaceChildren();
      $('history-position').textContent = err.status === 404 ? `No history for ${kind} ${id}: no --history rule covers it.` : err.message;
      $('history-empty').hidden = true;
      $('history-drop').disabled = true;
    }
  }

  function render(s) {
    $('history-position').replaceChildren(
      el('span', { class: 'mono' }, s.stream), ' at offset ',
      el('b', { id: 'history-offset' }, String(s.offset)), ', epoch ',
      el('span', { class: 'mono', id: 'history-epoch' }, s.epoch),
      el('span', { class: 'muted' }, ' (clients that reconnect with an older offset of this epoch get the messages after it)'));
    $('history').querySelector('tbody').replaceChildren(...s.list.map((m) => el('tr', { 'data-offset': m.offset },
      el('td', { class: 'mono' }, m.offset),
      el('td', {}, m.event),
      el('td', { class: 'mono data' }, JSON.stringify(m.data)))));
    $('history-empty').hidden = s.list.length > 0;
    $('history-empty').textContent = 'No kept messages after that offset.';
    $('history-drop').disabled = false;
  }

  async function drop() {
    if (!shown) return;
    const { kind, id } = shown;
    if (!window.confirm(`Drop the history of ${kind} ${id}? Its next message starts a new epoch; clients recovering from the old one get recovered: false.`)) return;
    try {
      await api('DELETE', path(kind, id));
      toast(`Dropped the history of ${kind} ${id}`);
      $('history-since').value = '0';
      await show();
    } catch (err) {
      toast(err.message, 'bad');
    }
  }

  $('history-form').addEventListener('submit', show);
  $('history-drop').addEventListener('click', drop);
  return { show };
}
