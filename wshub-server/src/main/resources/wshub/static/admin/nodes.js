// The dashboard's Nodes view: every live node's own connections, users and message rates
// (GET /api/nodes, docs/protocol.md §4), the node that answered marked. In single-node mode the
// table holds that one node and says so. Every value from the server goes in as text.

export function createNodes($, el) {
  function ago(ms) {
    const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    return s < 2 ? 'now' : `${s} s ago`;
  }

  function rate(n) {
    return n >= 100 ? String(Math.round(n)) : n.toFixed(1);
  }

  function render(answer) {
    $('nodes').querySelector('tbody').replaceChildren(...answer.list.map((n) => el('tr', { 'data-node': n.id },
      el('td', { class: 'mono' }, n.id, n.self ? el('span', { class: 'muted' }, ' (this node)') : null),
      el('td', { class: 'num' }, String(n.connections)),
      el('td', { class: 'num' }, String(n.users)),
      el('td', { class: 'num' }, rate(n.messagesInPerSecond)),
      el('td', { class: 'num' }, rate(n.messagesOutPerSecond)),
      el('td', { class: 'muted', title: new Date(n.heartbeatAt).toLocaleString() }, n.self ? 'now' : ago(n.heartbeatAt)))));
    $('nodes-mode').textContent = answer.total > 1 ? `cluster of ${answer.total} nodes` : 'single node';
  }

  return { render };
}
