// Building the page. API data (names, tags, anything a customer chose) only ever becomes text
// nodes or properties: nothing here parses data as markup or sets an event-handler attribute.

/** An element: props are set as properties (className, type, value, disabled, onclick, ...). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else node[key] = value;
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces what node holds. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/**
 * Draws a table body from items, a row each by draw(item), keeping on the page every row whose
 * item is the same as when it was drawn: a poll that finds nothing new touches nothing, so a
 * button under the pointer or holding the focus is never swapped for a copy of itself.
 */
export function rows(tbody, items, draw) {
  const wanted = items.map(item => [JSON.stringify(item), item]);
  const still = new Set(wanted.map(([from]) => from));
  const drawn = new Map();
  for (const row of [...tbody.children]) {
    if (still.has(row.drawnFrom)) drawn.set(row.drawnFrom, row);
    else row.remove();
  }
  wanted.forEach(([from, item], i) => {
    const row = drawn.get(from) ?? Object.assign(draw(item), { drawnFrom: from });
    if (tbody.children[i] !== row) tbody.insertBefore(row, tbody.children[i] ?? null);
  });
}

export function $(selector) {
  return document.querySelector(selector);
}

/** Bytes in binary units, as the API writes sizes (1k = 1024). */
export function bytes(n) {
  if (typeof n !== 'number' || !isFinite(n)) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return (i === 0 ? String(v) : v.toFixed(v < 10 ? 1 : 0)) + ' ' + units[i];
}

/** A bar of used against capacity, with its figures as text. */
export function bar(used, capacity, label) {
  const meter = el('meter', { min: 0, max: Math.max(1, capacity), value: Math.max(0, used),
    high: capacity * 0.8, optimum: 0 });
  return el('span', { className: 'bar' }, meter, ' ', label);
}

/** Shows a message in the page's status line (errors in red). */
export function say(text, error = false) {
  const line = $('#status');
  line.className = error ? 'error' : '';
  line.textContent = text;
}
