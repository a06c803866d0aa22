// The browser console: opens noVNC's RFB on the API's console WebSocket with the token from this
// page's address fragment (#token=...), which the browser never sends to a server. The token goes
// as a WebSocket subprotocol beside "binary", so it appears in no URL the API or a proxy logs; it
// is spent on connecting, so it is removed from the address (and history) at once.
import RFB from './novnc/core/rfb.js';

const status = document.getElementById('status');
const ctrlAltDel = document.getElementById('ctrl-alt-del');

function show(text, failed) {
    status.textContent = text;
    status.classList.toggle('failed', Boolean(failed));
}

const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
history.replaceState(null, '', window.location.pathname);

if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
    show('No console token: ask the API for one (POST /servers/UUID/console) and open its url.', true);
} else {
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const rfb = new RFB(document.getElementById('screen'), `${scheme}//${window.location.host}/console/websocket`,
        { wsProtocols: ['binary', `elastic-console.${token}`] });
    rfb.scaleViewport = true;
    rfb.resizeSession = false;
    rfb.addEventListener('connect', () => {
        show('Connected');
        ctrlAltDel.disabled = false;
    });
    rfb.addEventListener('disconnect', (e) => {
        ctrlAltDel.disabled = true;
        show(e.detail.clean ? 'Disconnected.' : 'The console closed: the token may be spent or expired, '
            + 'or the server stopped. Ask for a new token to reconnect.', !e.detail.clean);
    });
    rfb.addEventListener('desktopname', (e) => { document.title = `Console: ${e.detail.name}`; });
    ctrlAltDel.addEventListener('click', () => rfb.sendCtrlAltDel());
}
