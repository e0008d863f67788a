import { apiOrigin, refreshOnce } from './http';
import { ApiError, toProblem } from './problem';
import { getAccessToken } from './tokens';

/**
 * A small tus 1.0 client (core protocol + creation) for the 课堂实录 and other large files: `POST /api/uploads`
 * creates the upload, chunks go up as `PATCH` requests through XMLHttpRequest (for progress events), and a network
 * error or a 5xx is followed by a `HEAD` to learn how much the server kept, then the upload goes on from there
 * (with backoff, a few times). The upload URL is remembered per file (name + size + lastModified) in
 * localStorage, so a reload — or another tab later — resumes instead of starting over.
 */

export const TUS_VERSION = '1.0.0';
export const DEFAULT_CHUNK = 8 * 1024 * 1024;
export const DEFAULT_RETRY_DELAYS = [1000, 3000, 6000, 12000];
const STORE_PREFIX = 'yanxiu.tus.';

export interface TusFile extends Blob {
  readonly name: string;
  readonly lastModified: number;
}

export interface TusProgress {
  /** bytes the server has (or is receiving in the current chunk) */
  sent: number;
  total: number;
}

export interface TusOptions {
  endpoint?: string;
  chunkSize?: number;
  metadata?: Record<string, string>;
  /** waits before each retry; its length is the number of retries in a row */
  retryDelays?: number[];
  onProgress?: (p: TusProgress) => void;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** for tests */
  createXhr?: () => XMLHttpRequest;
  sleep?: (ms: number) => Promise<void>;
}

export class TusAbortError extends Error {
  constructor() {
    super('upload aborted');
    this.name = 'TusAbortError';
  }
}

export function isTusAbort(e: unknown): e is TusAbortError {
  return e instanceof TusAbortError;
}

/** The key a file's upload URL is kept under: the same file picked again after a reload maps to the same upload. */
export function fingerprint(file: TusFile, endpoint = '/api/uploads'): string {
  return `${STORE_PREFIX}${endpoint}|${file.name}|${file.size}|${file.lastModified}`;
}

/** tus Upload-Metadata: comma-separated `key base64(utf-8 value)` pairs. */
export function encodeMetadata(meta: Record<string, string>): string {
  return Object.entries(meta)
    .map(([k, v]) => {
      const bytes = new TextEncoder().encode(v);
      let bin = '';
      for (const b of bytes) bin += String.fromCharCode(b);
      return `${k} ${btoa(bin)}`;
    })
    .join(',');
}

/** The id at the end of an upload URL (`/api/uploads/{id}`). */
export function uploadIdOf(url: string): string {
  return new URL(url, apiOrigin()).pathname.split('/').filter(Boolean).pop() ?? '';
}

interface Reply {
  status: number;
  header: (name: string) => string | null;
  body: string;
}

/** A transport failure (no HTTP status), as opposed to an HTTP error. */
class NetworkError extends Error {}

export class TusUpload {
  readonly file: TusFile;
  private readonly opts: Required<Omit<TusOptions, 'onProgress' | 'metadata'>> & Pick<TusOptions, 'onProgress' | 'metadata'>;
  private xhr: XMLHttpRequest | null = null;
  private aborted = false;
  private running: Promise<string> | null = null;
  /** absolute URL of the upload once created or found */
  url: string | null = null;
  offset = 0;

  constructor(file: TusFile, options: TusOptions = {}) {
    this.file = file;
    this.opts = {
      endpoint: options.endpoint ?? '/api/uploads',
      chunkSize: options.chunkSize ?? DEFAULT_CHUNK,
      retryDelays: options.retryDelays ?? DEFAULT_RETRY_DELAYS,
      storage: options.storage ?? globalThis.localStorage,
      createXhr: options.createXhr ?? (() => new XMLHttpRequest()),
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      onProgress: options.onProgress,
      metadata: options.metadata,
    };
  }

  private get key() {
    return fingerprint(this.file, this.opts.endpoint);
  }

  /** Starts, or resumes after `pause()`; resolves with the upload URL once every byte is on the server. */
  start(): Promise<string> {
    if (this.running) return this.running;
    this.aborted = false;
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stops the transfer; the upload stays on the server and in storage, so `start()` goes on from its offset. */
  pause() {
    this.aborted = true;
    this.xhr?.abort();
  }

  /** Stops and forgets the upload (a later pick of the same file starts over). */
  cancel() {
    this.pause();
    this.forget();
  }

  private forget() {
    try {
      this.opts.storage.removeItem(this.key);
    } catch {
      /* storage unavailable */
    }
  }

  private remember(url: string) {
    try {
      this.opts.storage.setItem(this.key, url);
    } catch {
      /* storage unavailable: the upload still works, it only cannot resume after a reload */
    }
  }

  private stored(): string | null {
    try {
      return this.opts.storage.getItem(this.key);
    } catch {
      return null;
    }
  }

  private progress(sent: number) {
    this.opts.onProgress?.({ sent: Math.min(sent, this.file.size), total: this.file.size });
  }

  private send(method: string, url: string, headers: Record<string, string>, body?: Blob, onSent?: (loaded: number) => void): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      if (this.aborted) {
        reject(new TusAbortError());
        return;
      }
      const xhr = this.opts.createXhr();
      this.xhr = xhr;
      xhr.open(method, url);
      xhr.setRequestHeader('Tus-Resumable', TUS_VERSION);
      const token = getAccessToken();
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
      if (onSent && xhr.upload) {
        xhr.upload.onprogress = (e) => onSent(e.loaded);
      }
      xhr.onload = () => {
        this.xhr = null;
        resolve({ status: xhr.status, header: (n) => xhr.getResponseHeader(n), body: typeof xhr.responseText === 'string' ? xhr.responseText : '' });
      };
      xhr.onerror = () => {
        this.xhr = null;
        reject(this.aborted ? new TusAbortError() : new NetworkError('network error'));
      };
      xhr.ontimeout = xhr.onerror;
      xhr.onabort = () => {
        this.xhr = null;
        reject(new TusAbortError());
      };
      xhr.send(body ?? null);
    });
  }

  /** One request with a token refresh on 401 (tokens expire during a long upload). */
  private async request(method: string, url: string, headers: Record<string, string>, body?: Blob, onSent?: (loaded: number) => void): Promise<Reply> {
    let reply = await this.send(method, url, headers, body, onSent);
    if (reply.status === 401 && (await refreshOnce())) reply = await this.send(method, url, headers, body, onSent);
    return reply;
  }

  private fail(reply: Reply): never {
    let body: unknown;
    try {
      body = JSON.parse(reply.body);
    } catch {
      body = undefined;
    }
    throw new ApiError(toProblem(body, reply.status));
  }

  private absolute(location: string): string {
    return new URL(location, new URL(this.opts.endpoint, apiOrigin())).toString();
  }

  /** HEAD: the server's offset, or null when the upload is gone (expired, removed, another user's). */
  private async head(url: string): Promise<number | null> {
    const r = await this.request('HEAD', url, {});
    if (r.status === 404 || r.status === 410 || r.status === 403) return null;
    if (r.status >= 500) throw new NetworkError(`HEAD ${r.status}`);
    if (r.status < 200 || r.status >= 300) this.fail(r);
    const offset = Number(r.header('Upload-Offset'));
    if (!Number.isFinite(offset) || offset < 0) throw new NetworkError('HEAD without Upload-Offset');
    return offset;
  }

  private async create(): Promise<string> {
    const headers: Record<string, string> = { 'Upload-Length': String(this.file.size) };
    const meta = { filename: this.file.name, ...(this.opts.metadata ?? {}) };
    headers['Upload-Metadata'] = encodeMetadata(meta);
    const r = await this.request('POST', this.absolute(this.opts.endpoint), headers);
    if (r.status >= 500) throw new NetworkError(`POST ${r.status}`);
    if (r.status !== 201 && r.status !== 200) this.fail(r);
    const location = r.header('Location');
    if (!location) throw new ApiError({ status: r.status, code: 'upload_failed', detail: 'no Location' });
    const url = this.absolute(location);
    this.remember(url);
    return url;
  }

  /** Finds the stored upload (HEAD) or creates one; sets url and offset. */
  private async locate(): Promise<void> {
    const known = this.url ?? this.stored();
    if (known) {
      const offset = await this.head(known);
      if (offset !== null) {
        this.url = known;
        this.offset = offset;
        return;
      }
      this.forget();
    }
    this.url = await this.create();
    this.offset = 0;
  }

  private async patch(): Promise<void> {
    const url = this.url!;
    const start = this.offset;
    const chunk = this.file.slice(start, Math.min(start + this.opts.chunkSize, this.file.size));
    const r = await this.request(
      'PATCH',
      url,
      { 'Upload-Offset': String(start), 'Content-Type': 'application/offset+octet-stream' },
      chunk,
      (loaded) => this.progress(start + loaded),
    );
    if (r.status >= 500) throw new NetworkError(`PATCH ${r.status}`);
    if (r.status === 409) {
      // our offset is stale (e.g. a request that failed on our side reached the server): ask again
      throw new NetworkError('offset mismatch');
    }
    if (r.status === 404 || r.status === 410) {
      this.forget();
      this.url = null;
      throw new NetworkError('upload gone');
    }
    if (r.status !== 204 && r.status !== 200) this.fail(r);
    const next = Number(r.header('Upload-Offset'));
    this.offset = Number.isFinite(next) && next > start ? next : start + chunk.size;
    this.progress(this.offset);
  }

  private async run(): Promise<string> {
    let failures = 0;
    let located = false;
    for (;;) {
      try {
        if (!located) {
          await this.locate();
          located = true;
          this.progress(this.offset);
        }
        if (this.offset >= this.file.size) break;
        await this.patch();
        failures = 0;
      } catch (e) {
        if (this.aborted || isTusAbort(e)) throw new TusAbortError();
        if (!(e instanceof NetworkError)) throw e;
        if (failures >= this.opts.retryDelays.length) {
          throw new ApiError({ status: 0, code: 'network_error', detail: e.message });
        }
        await this.opts.sleep(this.opts.retryDelays[failures]);
        failures += 1;
        if (this.aborted) throw new TusAbortError();
        // resume from what the server actually kept
        located = false;
      }
    }
    this.forget();
    return this.url!;
  }
}
