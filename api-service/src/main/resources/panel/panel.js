// The customer's control panel: sign in, then servers and drives, polled every few seconds.

import { ApiError, call, credentials, signIn, signOut } from './api.js';
import { $, say } from './dom.js';
import { Drives } from './drives.js';
import { Servers } from './servers.js';

const POLL_MS = 2000;
let timer = null;
let pollFailed = false;

async function refresh(views) {
  clearTimeout(timer);
  if (!credentials()) return;
  try {
    await Promise.all(views.map(v => v.refresh()));
    if (pollFailed) say('');
    pollFailed = false;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      signOut();
      show();
      say('signed out: ' + e.message, true);
      return;
    }
    say('could not refresh: ' + e.message, true);
    pollFailed = true;
  }
  timer = setTimeout(() => refresh(views), document.hidden ? POLL_MS * 5 : POLL_MS);
}

let views = null;

function show() {
  const signedIn = credentials();
  $('#sign-in').hidden = !!signedIn;
  $('#main').hidden = !signedIn;
  $('#sign-out').hidden = !signedIn;
  $('#who').textContent = signedIn ? signedIn.user : '';
  if (signedIn) {
    views = views || (() => {
      const drives = new Drives(() => refresh(views));
      return [drives, new Servers(drives, () => refresh(views))];
    })();
    views.forEach(v => v.loadOnce?.());
    refresh(views);
  } else {
    clearTimeout(timer);
    // nothing of the last customer's stays on the page
    document.querySelectorAll('tbody').forEach(t => t.replaceChildren());
  }
}

$('#sign-in').addEventListener('submit', async event => {
  event.preventDefault();
  const user = $('#user').value.trim();
  const secret = $('#key').value;
  try {
    await call('GET', '/ping', { as: { user, secret } });
  } catch (e) {
    say('sign-in refused: ' + e.message, true);
    return;
  }
  signIn(user, secret);
  $('#key').value = '';
  say('');
  show();
});

$('#sign-out').addEventListener('click', () => {
  signOut();
  say('signed out');
  show();
});

show();
