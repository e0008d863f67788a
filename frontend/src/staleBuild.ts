// A tab opened before a redeploy asks for lazy chunks the server no longer has (their names carry the old build's
// hashes, and the server answers 404). Reloading fetches the new index.html and its chunks. Once per minute at
// most, so a chunk that is really missing shows its error instead of reloading forever.
const KEY = 'yanxiu.staleBuildReload';
const MIN_INTERVAL_MS = 60_000;

export function reloadOnceWhenStale(
  now: () => number = Date.now,
  reload: () => void = () => window.location.reload(),
): (event: Event) => void {
  return (event) => {
    const last = Number(sessionStorage.getItem(KEY) ?? 0);
    if (now() - last < MIN_INTERVAL_MS) return;
    event.preventDefault();
    sessionStorage.setItem(KEY, String(now()));
    reload();
  };
}

export function installStaleBuildReload(): void {
  window.addEventListener('vite:preloadError', reloadOnceWhenStale());
}
