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

/** True when this tab already reloaded for a missing chunk a moment ago: reloading again would not help. */
export function reloadedRecently(now: () => number = Date.now): boolean {
  return now() - Number(sessionStorage.getItem(KEY) ?? 0) < MIN_INTERVAL_MS;
}

/**
 * An error from loading a page's code rather than from running it: the browser's failed dynamic import, Vite's
 * failed preload, or React's lazy() given nothing (what an import resolves to once the reload above took over).
 */
export function isChunkLoadError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    /dynamically imported module|Importing a module script failed|Unable to preload CSS|Lazy element type must resolve/i.test(error.message) ||
    error.name === 'ChunkLoadError'
  );
}

export function installStaleBuildReload(): void {
  window.addEventListener('vite:preloadError', reloadOnceWhenStale());
}
