// The customer's servers: the table with the power actions, and a new server from a system image
// (a drive imaged from the library, then a server booting it).

import { call, seg } from './api.js';
import { $, bytes, el, fill, rows, say } from './dom.js';

/** The actions the API allows in a status ("allowed when"); destroy always is. */
const ACTIONS = [
  ['start', 'Start', s => s !== 'active'],
  ['stop', 'Stop', s => s === 'active' || s === 'paused'],
  ['shutdown', 'Shut down', s => s === 'active'],
  ['reset', 'Reset', s => s === 'active'],
];
const IMAGING_POLL_MS = 1000;
const IMAGING_LIMIT_MS = 30 * 60 * 1000;

export class Servers {
  constructor(drives, changed) {
    this.drives = drives;
    this.changed = changed;
    this.images = [];
    $('#new-server').addEventListener('submit', e => this.create(e));
  }

  async loadOnce() {
    if (this.images.length) return;
    try {
      this.images = (await call('GET', '/drives/info/standard')).filter(d => d.media !== 'cdrom');
    } catch (e) {
      say('could not read the library: ' + e.message, true);
    }
    fill($('#images'), el('option', { value: '' }, '(no disk)'),
      this.images.map(d => el('option', { value: d.drive }, `${d.name} (${bytes(d.rawsize || d.size)})`)));
    if (this.images.length) $('#images').value = this.images[0].drive;
  }

  async refresh() {
    const servers = await call('GET', '/servers/info');
    // what a row shows and its buttons use: a running server's traffic counters redraw nothing
    rows($('#servers tbody'), servers.map(s => ({ server: s.server, name: s.name, status: s.status,
      cpu: s.cpu, mem: s.mem, vnc: !!s['vnc:password'] })), s => this.row(s));
  }

  row(s) {
    return el('tr', { dataset: { server: s.server } },
      el('td', { className: 'name' }, s.name),
      el('td', { className: 'state' }, s.status),
      el('td', {}, s.cpu !== undefined ? `${s.cpu} MHz` : ''),
      el('td', {}, s.mem !== undefined ? `${s.mem} MiB` : ''),
      el('td', { className: 'id' }, s.server),
      el('td', { className: 'actions' },
        ACTIONS.map(([action, label, allowed]) => el('button', {
          type: 'button', className: action, disabled: !allowed(s.status),
          onclick: () => this.act(s, action),
        }, label)),
        el('button', { type: 'button', className: 'destroy danger', onclick: () => this.destroy(s) }, 'Destroy'),
        el('button', {
          type: 'button', className: 'console', disabled: s.status !== 'active' || !s.vnc,
          title: s.vnc ? 'the guest\'s screen, in a new tab' : 'set a VNC password to have a console',
          onclick: () => this.console(s),
        }, 'Console')));
  }

  /** A single-use console token (POST /servers/UUID/console), opened in a tab of its own. */
  async console(s) {
    const tab = window.open('', '_blank');
    try {
      const answer = await call('POST', `/servers/${seg(s.server)}/console`);
      tab.opener = null;
      tab.location = answer.url;
    } catch (e) {
      tab.close();
      say(`could not open the console of ${s.name}: ` + e.message, true);
    }
  }

  async act(s, action) {
    try {
      await call('POST', `/servers/${seg(s.server)}/${action}`);
      say(`${action}: ${s.name}`);
    } catch (e) {
      say(`could not ${action} ${s.name}: ` + e.message, true);
    }
    this.changed();
  }

  async destroy(s) {
    if (!confirm(`Destroy server "${s.name}"? Its drives are kept.`)) return;
    await this.act(s, 'destroy');
  }

  /** Drive from the image (imaging shown as it goes), then the server on it, started. */
  async create(event) {
    event.preventDefault();
    const form = event.target;
    const line = $('#new-server-progress');
    const name = form.name.value;
    const image = this.images.find(d => d.drive === form.image.value);
    // persistent: a stopped server stays listed, to be started again (a transient one is gone)
    const config = { name, cpu: Number(form.cpu.value), mem: Number(form.mem.value), persistent: true,
      'nic:0:model': 'e1000', 'nic:0:dhcp': 'auto' };
    form.querySelector('button').disabled = true;
    try {
      if (image) {
        const size = Number(image.rawsize || image.size);
        const disk = await call('POST', '/drives/create', { body: { name: `${name} disk`, size } });
        line.textContent = 'imaging: queued';
        const gunzip = image.format === 'gzip' ? '/gunzip' : '';
        await call('POST', `/drives/${seg(disk.drive)}/image/${seg(image.drive)}${gunzip}`);
        this.changed();
        await this.imaged(disk.drive, line);
        Object.assign(config, { 'ide:0:0': disk.drive, boot: 'ide:0:0' });
      }
      // a VNC password nobody needs to know: the browser console logs in for the viewer
      config['vnc:password'] = vncPassword();
      line.textContent = 'starting';
      const server = await call('POST', '/servers/create', { body: config });
      line.textContent = `server ${server.name}: ${server.status}`;
      form.name.value = '';
    } catch (e) {
      line.textContent = 'failed: ' + e.message;
      say(`could not create server ${name}: ` + e.message, true);
    } finally {
      form.querySelector('button').disabled = false;
    }
    this.changed();
  }

  async imaged(drive, line) {
    const until = Date.now() + IMAGING_LIMIT_MS;
    while (Date.now() < until) {
      const d = await call('GET', `/drives/${seg(drive)}/info`);
      if (d['imaging:error']) throw new Error('imaging failed: ' + d['imaging:error']);
      if (!d.imaging) return;
      line.textContent = 'imaging: ' + d.imaging;
      await new Promise(resolve => setTimeout(resolve, IMAGING_POLL_MS));
    }
    throw new Error('imaging did not finish in 30 minutes');
  }
}

/** Eight random characters, as long as VNC passwords go. */
function vncPassword() {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), b => alphabet[b % alphabet.length]).join('');
}
