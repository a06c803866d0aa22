// The customer's drives: the table (with imaging progress), new drives, uploads.

import { call, seg } from './api.js';
import { $, bytes, el, rows, say } from './dom.js';
import { upload } from './upload.js';

const GIB = 1024 ** 3;

/** An imaging state as the API writes it ("42%", "queued"), as a bar and its words. */
function imaging(drive) {
  if (drive['imaging:error']) return el('span', { className: 'error' }, 'failed: ' + drive['imaging:error']);
  const state = drive.imaging;
  if (!state) return '';
  const percent = /^(\d+)%$/.exec(String(state));
  return el('span', { className: 'bar' },
    el('progress', { max: 100, value: percent ? Number(percent[1]) : 0 }), ' ', String(state));
}

export class Drives {
  constructor(changed) {
    this.changed = changed;
    this.byId = new Map();
    $('#new-drive').addEventListener('submit', e => this.create(e));
    $('#upload').addEventListener('submit', e => this.uploadNew(e));
  }

  async refresh() {
    const drives = await call('GET', '/drives/info');
    this.byId = new Map(drives.map(d => [d.drive, d]));
    rows($('#drives tbody'), drives, d => this.row(d));
  }

  row(d) {
    const claimed = d.claimed ? String(d.claimed).split(' ').filter(Boolean).length : 0;
    return el('tr', { dataset: { drive: d.drive } },
      el('td', { className: 'name' }, d.name),
      el('td', {}, bytes(d.size)),
      el('td', { className: 'state' }, d.status),
      el('td', { className: 'imaging' }, imaging(d)),
      el('td', {}, claimed ? `${claimed} server${claimed > 1 ? 's' : ''}` : ''),
      el('td', { className: 'id' }, d.drive),
      el('td', { className: 'actions' },
        el('button', { type: 'button', onclick: () => this.uploadInto(d) }, 'Upload…'),
        el('button', { type: 'button', className: 'danger', onclick: () => this.destroy(d) }, 'Destroy')));
  }

  async create(event) {
    event.preventDefault();
    const form = event.target;
    try {
      const size = Math.round(Number(form.size.value) * GIB);
      const d = await call('POST', '/drives/create', { body: { name: form.name.value, size } });
      say(`drive ${d.name} created`);
      form.reset();
    } catch (e) {
      say('could not create the drive: ' + e.message, true);
    }
    this.changed();
  }

  async destroy(d) {
    if (!confirm(`Destroy drive "${d.name}" and everything on it?`)) return;
    try {
      await call('POST', `/drives/${seg(d.drive)}/destroy`);
      say(`drive ${d.name} destroyed`);
    } catch (e) {
      say('could not destroy the drive: ' + e.message, true);
    }
    this.changed();
  }

  /** A new drive as large as the chosen file, then the file into it. */
  async uploadNew(event) {
    event.preventDefault();
    const file = $('#upload-file').files[0];
    if (!file) return;
    let d;
    try {
      d = await call('POST', '/drives/create', { body: { name: file.name, size: Math.max(file.size, 1) } });
    } catch (e) {
      say('could not create a drive for the file: ' + e.message, true);
      return;
    }
    this.changed();
    await this.send(file, d);
  }

  uploadInto(d) {
    const picker = el('input', { type: 'file' });
    picker.addEventListener('change', () => picker.files[0] && this.send(picker.files[0], d));
    picker.click();
  }

  async send(file, d) {
    const bar = $('#upload-progress');
    const text = $('#upload-text');
    bar.hidden = false;
    bar.value = 0;
    const started = performance.now();
    try {
      await upload(file, d.drive, d.size, (done, total) => {
        bar.value = total ? done / total : 1;
        text.textContent = `${bytes(done)} of ${bytes(total)} into ${d.name}`;
      });
      const seconds = (performance.now() - started) / 1000;
      text.textContent = `uploaded ${bytes(file.size)} into ${d.name} in ${seconds.toFixed(1)} s`;
      text.dataset.done = d.drive;
      say(`uploaded ${file.name}`);
    } catch (e) {
      text.textContent = 'upload failed: ' + e.message;
      say('upload failed: ' + e.message, true);
    }
    this.changed();
  }
}
