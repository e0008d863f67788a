// Whether the server can be reached, as far as this tab knows: the browser's own online/offline events, and the
// fate of the last API request (one that got no answer at all means unreachable; any answer, even an error status,
// means reachable again). The shell shows a banner while either says no, so a failure is never silent.

export type Connectivity = 'online' | 'offline' | 'unreachable';

let browserOnline = typeof navigator === 'undefined' ? true : navigator.onLine;
let serverAnswered = true;
const listeners = new Set<() => void>();

function notify(): void {
  listeners.forEach((fn) => fn());
}

export function connectivity(): Connectivity {
  if (!browserOnline) return 'offline';
  return serverAnswered ? 'online' : 'unreachable';
}

export function subscribeConnectivity(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** A request got a response (any status): the server is there. */
export function noteAnswered(): void {
  if (serverAnswered) return;
  serverAnswered = true;
  notify();
}

/** A request got no response (fetch rejected): the server or the network is gone. */
export function noteUnanswered(): void {
  if (!serverAnswered) return;
  serverAnswered = false;
  notify();
}

function setBrowserOnline(online: boolean): void {
  if (browserOnline === online) return;
  browserOnline = online;
  notify();
}

export function installConnectivityListeners(target: Window = window): () => void {
  const online = () => setBrowserOnline(true);
  const offline = () => setBrowserOnline(false);
  target.addEventListener('online', online);
  target.addEventListener('offline', offline);
  return () => {
    target.removeEventListener('online', online);
    target.removeEventListener('offline', offline);
  };
}

/** fetch that reports whether it was answered. */
export async function observedFetch(request: Request): Promise<Response> {
  try {
    const response = await globalThis.fetch(request);
    noteAnswered();
    return response;
  } catch (e) {
    // An abort the app asked for says nothing about the network.
    if (!(e instanceof DOMException && e.name === 'AbortError')) noteUnanswered();
    throw e;
  }
}
