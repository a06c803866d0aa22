// The API as the pages call it: the JSON form of the public calls (or Actuator for the admin page),
// HTTP Basic from the credentials typed in, kept in this tab's sessionStorage only (never a cookie,
// never a URL). Every call says it is a page's (X-Requested-With), so that a refusal comes without
// the Basic challenge and the browser never shows its own credentials dialog.

// one entry per page: the admin page and the panel, open in one tab in turn, keep theirs apart
const STORE = 'elastic.credentials:' + location.pathname;

/** Longer than the API's own bus timeout, so that the API's answer, not ours, says what failed. */
const CALL_TIMEOUT_MS = 120000;

export class ApiError extends Error {
  constructor(status, type, message) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

export function signIn(user, secret) {
  sessionStorage.setItem(STORE, JSON.stringify({ user, secret }));
}

export function signOut() {
  sessionStorage.removeItem(STORE);
}

/** {user, secret}, or null when this tab has not signed in. */
export function credentials() {
  try {
    const c = JSON.parse(sessionStorage.getItem(STORE));
    return c && typeof c.user === 'string' && typeof c.secret === 'string' ? c : null;
  } catch {
    return null;
  }
}

function basic(user, secret) {
  const bytes = new TextEncoder().encode(user + ':' + secret);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return 'Basic ' + btoa(binary);
}

function isBytes(body) {
  return body instanceof ArrayBuffer || body instanceof Blob || ArrayBuffer.isView(body);
}

/**
 * One call. body: an object (sent as JSON), bytes (sent as they are), or undefined. Answers the
 * parsed JSON, or null for 204; an error reply becomes an ApiError with the API's own words.
 */
export async function call(method, path, { body, headers = {}, as = credentials() } = {}) {
  if (!as) throw new ApiError(401, 'auth', 'not signed in');
  const h = new Headers(headers);
  h.set('Authorization', basic(as.user, as.secret));
  h.set('X-Requested-With', 'XMLHttpRequest');
  h.set('Accept', 'application/json');
  let sent = body;
  if (body !== undefined && !isBytes(body)) {
    h.set('Content-Type', 'application/json');
    sent = JSON.stringify(body);
  }
  // bounded: a reply that never comes must not stop the page's polling
  const reply = await fetch(path, {
    method, headers: h, body: sent, credentials: 'omit', cache: 'no-store', redirect: 'error',
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  if (!reply.ok) {
    const text = (await reply.text()).trim();
    throw new ApiError(reply.status, reply.headers.get('X-Elastic-Error') || 'http',
      text || `${reply.status} ${reply.statusText}`);
  }
  if (reply.status === 204) return null;
  return reply.json();
}

/** A path segment from an id the API gave. */
export function seg(id) {
  return encodeURIComponent(String(id));
}
