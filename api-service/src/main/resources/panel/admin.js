// The operator's view: what Actuator answers (docs/operations.md, "The admin's endpoints") as
// bars and tables, refreshed every few seconds. Prometheus and the Grafana dashboard of deploy/
// keep the history; this page shows now.

import { ApiError, call, credentials, signIn, signOut } from './api.js';
import { $, bar, bytes, el, rows, say } from './dom.js';

const POLL_MS = 5000;
const ADMIN = 'admin';
/** Customers shown (the listing is paged: operations.md, "Paged listings"). */
const CUSTOMERS_SHOWN = 200;
let timer = null;

function state(node) {
  if (!node.reachable) return el('span', { className: 'error' }, 'unreachable');
  return node.maintenance ? el('span', { className: 'warn' }, 'maintenance') : 'up';
}

function host(h) {
  return el('tr', { dataset: { node: h.node } },
    el('td', { className: 'name' }, h.node),
    el('td', { className: 'state' }, state(h)),
    el('td', {}, bar(h.cpuUsedMhz, h.cpuCapacityMhz, `${h.cpuUsedMhz} of ${h.cpuCapacityMhz} MHz`)),
    el('td', {}, bar(h.memoryUsedMb, h.memoryCapacityMb, `${h.memoryUsedMb} of ${h.memoryCapacityMb} MiB`)),
    el('td', { className: 'guests' }, String(h.guests ?? '')),
    el('td', {}, h.lastHeartbeat ?? ''));
}

function storageNode(s) {
  return el('tr', { dataset: { node: s.node } },
    el('td', { className: 'name' }, s.node),
    el('td', { className: 'state' }, state(s)),
    el('td', {}, bar(s.usedBytes, s.capacityBytes, `${bytes(s.usedBytes)} of ${bytes(s.capacityBytes)}`)),
    el('td', {}, bytes(s.roomOnDiskBytes)),
    el('td', {}, s.hardware ?? ''));
}

function pool(p) {
  const used = (p.static ?? 0) + (p.temporary ?? 0);
  return el('tr', {},
    el('td', { className: 'name' }, p.name ?? ''),
    el('td', {}, p.cidr ?? ''),
    el('td', {}, bar(used, p.size ?? 0, `${used} of ${p.size}`)),
    el('td', {}, String(p.static ?? '')),
    el('td', {}, String(p.temporary ?? '')),
    el('td', {}, String(p.free ?? '')));
}

function customer(u) {
  return el('tr', {}, el('td', { className: 'id' }, u.user), el('td', {}, u.status ?? ''),
    el('td', {}, u.created ?? ''));
}

async function refresh() {
  clearTimeout(timer);
  if (!credentials()) return;
  try {
    const [hosts, storage, pools, customers] = await Promise.all([
      call('GET', '/actuator/hosts'), call('GET', '/actuator/storagenodes'), call('GET', '/actuator/ippools'),
      call('GET', `/actuator/users?limit=${CUSTOMERS_SHOWN}`)]);
    rows($('#hosts tbody'), hosts, host);
    rows($('#storage tbody'), storage, storageNode);
    rows($('#pools tbody'), pools, pool);
    rows($('#customers tbody'), customers, customer);
    $('#customer-count').textContent = customers.length < CUSTOMERS_SHOWN
      ? `${customers.length} customer${customers.length === 1 ? '' : 's'}` : `the first ${CUSTOMERS_SHOWN} customers`;
    say(`as of ${new Date().toLocaleTimeString()}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      signOut();
      show();
      say('signed out: ' + e.message, true);
      return;
    }
    say('could not refresh: ' + e.message, true);
  }
  timer = setTimeout(refresh, POLL_MS);
}

function show() {
  const signedIn = credentials();
  $('#sign-in').hidden = !!signedIn;
  $('#main').hidden = !signedIn;
  $('#sign-out').hidden = !signedIn;
  $('#who').textContent = signedIn ? signedIn.user : '';
  if (signedIn) {
    refresh();
  } else {
    clearTimeout(timer);
    document.querySelectorAll('tbody').forEach(t => t.replaceChildren());
    $('#customer-count').textContent = '';
  }
}

$('#sign-in').addEventListener('submit', async event => {
  event.preventDefault();
  const secret = $('#key').value;
  try {
    await call('GET', '/actuator/hosts?limit=1', { as: { user: ADMIN, secret } });
  } catch (e) {
    say('sign-in refused: ' + e.message, true);
    return;
  }
  signIn(ADMIN, secret);
  $('#key').value = '';
  show();
});

$('#sign-out').addEventListener('click', () => {
  signOut();
  say('signed out');
  show();
});

show();
