import { beforeEach, describe, expect, it } from 'vitest';
import { TusUpload, encodeMetadata, fingerprint, isTusAbort, uploadIdOf, type TusProgress } from './tus';

/** A hand-rolled tus server behind a fake XMLHttpRequest: uploads live in memory, faults are injected per request. */
interface Stored {
  length: number;
  data: Uint8Array;
  offset: number;
  metadata: string;
}

type Fault = 'drop' | 'drop-half' | 500 | 'hang';

class FakeServer {
  uploads = new Map<string, Stored>();
  log: string[] = [];
  faults: Fault[] = [];
  /** fault the Nth PATCH (1-based) */
  patchFaults = new Map<number, Fault>();
  patches = 0;
  private next = 1;

  xhr = () => new FakeXhr(this) as unknown as XMLHttpRequest;

  async handle(x: FakeXhr): Promise<void> {
    const path = new URL(x.url).pathname;
    this.log.push(`${x.method} ${path}`);
    expect(x.headers['Tus-Resumable']).toBe('1.0.0');
    if (x.method === 'POST' && path === '/api/uploads') {
      const id = `u${this.next++}`;
      const length = Number(x.headers['Upload-Length']);
      this.uploads.set(id, { length, data: new Uint8Array(length), offset: 0, metadata: x.headers['Upload-Metadata'] ?? '' });
      return x.respond(201, { Location: `/api/uploads/${id}` });
    }
    const id = path.split('/').pop()!;
    const u = this.uploads.get(id);
    if (!u) return x.respond(404, {});
    if (x.method === 'HEAD') return x.respond(200, { 'Upload-Offset': String(u.offset), 'Upload-Length': String(u.length) });
    if (x.method === 'PATCH') {
      this.patches += 1;
      const fault = this.patchFaults.get(this.patches);
      expect(x.headers['Content-Type']).toBe('application/offset+octet-stream');
      const at = Number(x.headers['Upload-Offset']);
      if (at !== u.offset) return x.respond(409, {});
      const bytes = await bytesOf(x.body as Blob);
      if (fault === 500) return x.respond(500, {});
      if (fault === 'hang') return; // never answers: only an abort ends it
      const kept = fault === 'drop-half' ? bytes.subarray(0, Math.floor(bytes.length / 2)) : fault === 'drop' ? bytes.subarray(0, 0) : bytes;
      x.progress(kept.length);
      u.data.set(kept, u.offset);
      u.offset += kept.length;
      if (fault) return x.networkError();
      x.progress(bytes.length);
      return x.respond(204, { 'Upload-Offset': String(u.offset) });
    }
    return x.respond(405, {});
  }
}

class FakeXhr {
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  responseText = '';
  private responseHeaders: Record<string, string> = {};
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  private done = false;
  constructor(private server: FakeServer) {}
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  getResponseHeader(k: string) {
    const hit = Object.entries(this.responseHeaders).find(([h]) => h.toLowerCase() === k.toLowerCase());
    return hit ? hit[1] : null;
  }
  send(body: unknown) {
    this.body = body;
    queueMicrotask(() => void this.server.handle(this));
  }
  abort() {
    if (this.done) return;
    this.done = true;
    this.onabort?.();
  }
  progress(loaded: number) {
    this.upload.onprogress?.({ loaded, total: (this.body as Blob)?.size ?? 0, lengthComputable: true });
  }
  respond(status: number, headers: Record<string, string>) {
    if (this.done) return;
    this.done = true;
    this.status = status;
    this.responseHeaders = headers;
    this.onload?.();
  }
  networkError() {
    if (this.done) return;
    this.done = true;
    this.onerror?.();
  }
}

class MemoryStorage {
  map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

const KB = 1024;
function makeFile(size: number, name = '课堂实录.mp4', lastModified = 1_700_000_000_000): File {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + 3) % 251;
  return new File([bytes], name, { type: 'video/mp4', lastModified });
}
/** jsdom's Blob has no arrayBuffer(): read it the old way. */
function bytesOf(f: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(new Uint8Array(r.result as ArrayBuffer));
    r.onerror = () => reject(r.error);
    r.readAsArrayBuffer(f);
  });
}

let server: FakeServer;
let storage: MemoryStorage;
let waits: number[];
const sleep = async (ms: number) => {
  waits.push(ms);
};

beforeEach(() => {
  server = new FakeServer();
  storage = new MemoryStorage();
  waits = [];
});

function upload(file: File, extra: { onProgress?: (p: TusProgress) => void; retryDelays?: number[] } = {}) {
  return new TusUpload(file, { chunkSize: 10 * KB, storage, createXhr: server.xhr, sleep, metadata: { purpose: 'lesson' }, ...extra });
}

describe('tus client', () => {
  it('creates the upload with its metadata and sends it in chunks, reporting progress up to the whole size', async () => {
    const file = makeFile(35 * KB);
    const seen: number[] = [];
    const url = await upload(file, { onProgress: (p) => seen.push(p.sent) }).start();
    expect(uploadIdOf(url)).toBe('u1');
    expect(server.log).toEqual(['POST /api/uploads', 'PATCH /api/uploads/u1', 'PATCH /api/uploads/u1', 'PATCH /api/uploads/u1', 'PATCH /api/uploads/u1']);
    const stored = server.uploads.get('u1')!;
    expect(stored.data).toEqual(await bytesOf(file));
    expect(stored.metadata).toBe(encodeMetadata({ filename: '课堂实录.mp4', purpose: 'lesson' }));
    expect(seen.at(-1)).toBe(35 * KB);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen); // never goes backwards
    expect(storage.map.size).toBe(0); // forgotten once complete
  });

  it('resumes after a dropped chunk from the offset the server reports (HEAD), with a backoff wait', async () => {
    const file = makeFile(30 * KB);
    server.patchFaults.set(2, 'drop-half'); // the connection breaks half-way through the second chunk
    const url = await upload(file).start();
    expect(server.log).toEqual([
      'POST /api/uploads',
      'PATCH /api/uploads/u1',
      'PATCH /api/uploads/u1',
      'HEAD /api/uploads/u1', // the server kept 15 KB: the next chunk starts there
      'PATCH /api/uploads/u1',
      'PATCH /api/uploads/u1',
    ]);
    expect(waits).toEqual([1000]);
    expect(server.uploads.get(uploadIdOf(url))!.data).toEqual(await bytesOf(file));
  });

  it('retries a 5xx and a fully dropped chunk, and gives up after the retries run out, keeping the URL to resume', async () => {
    const file = makeFile(20 * KB);
    server.patchFaults.set(1, 500);
    server.patchFaults.set(2, 'drop');
    await upload(file, { retryDelays: [10, 20] }).start();
    expect(waits).toEqual([10, 20]);
    expect(server.uploads.get('u1')!.data).toEqual(await bytesOf(file));

    const other = makeFile(20 * KB, 'b.mp4');
    waits = [];
    server.patches = 0;
    server.patchFaults = new Map([
      [1, 500],
      [2, 500],
      [3, 500],
    ]);
    await expect(upload(other, { retryDelays: [10, 20] }).start()).rejects.toMatchObject({ code: 'network_error' });
    expect(waits).toEqual([10, 20]);
    expect(storage.getItem(fingerprint(other))).toMatch(/\/api\/uploads\/u2$/);
  });

  it('resumes across a reload: a new client for the same file finds the stored URL and skips what was sent', async () => {
    const file = makeFile(40 * KB);
    server.patchFaults.set(3, 'hang');
    const first = upload(file);
    const done = first.start();
    await expect.poll(() => server.patches).toBe(3);
    first.pause();
    await expect(done).rejects.toSatisfy(isTusAbort);
    expect(server.uploads.get('u1')!.offset).toBe(20 * KB);

    // "reload": the same file picked again (same name, size, lastModified), a fresh client
    const again = makeFile(40 * KB);
    const log = server.log.length;
    const seen: number[] = [];
    const url = await upload(again, { onProgress: (p) => seen.push(p.sent) }).start();
    expect(server.log.slice(log)).toEqual(['HEAD /api/uploads/u1', 'PATCH /api/uploads/u1', 'PATCH /api/uploads/u1']);
    expect(seen[0]).toBe(20 * KB);
    expect(server.uploads.get(uploadIdOf(url))!.data).toEqual(await bytesOf(file));
  });

  it('pause then start resumes the same upload; cancel forgets it', async () => {
    const file = makeFile(30 * KB);
    server.patchFaults.set(2, 'hang');
    const up = upload(file);
    const first = up.start();
    await expect.poll(() => server.patches).toBe(2);
    up.pause();
    await expect(first).rejects.toSatisfy(isTusAbort);
    await up.start();
    expect(server.uploads.get('u1')!.data).toEqual(await bytesOf(file));
    expect(server.uploads.size).toBe(1);

    const other = makeFile(30 * KB, 'c.mp4');
    server.patches = 0;
    server.patchFaults = new Map([[1, 'hang']]);
    const c = upload(other);
    const p = c.start();
    await expect.poll(() => server.patches).toBe(1);
    expect(storage.getItem(fingerprint(other))).not.toBeNull();
    c.cancel();
    await expect(p).rejects.toSatisfy(isTusAbort);
    expect(storage.getItem(fingerprint(other))).toBeNull();
  });

  it('starts over when the stored upload is gone (404 on HEAD)', async () => {
    const file = makeFile(5 * KB);
    storage.setItem(fingerprint(file), 'http://localhost/api/uploads/expired');
    await upload(file).start();
    expect(server.log).toEqual(['HEAD /api/uploads/expired', 'POST /api/uploads', 'PATCH /api/uploads/u1']);
  });

  it('surfaces a 4xx refusal as an ApiError without retrying', async () => {
    const file = makeFile(5 * KB);
    const refusing = { xhr: () => {
      const x = new FakeXhr(server);
      x.send = () => queueMicrotask(() => {
        (x as unknown as { responseText: string }).responseText = JSON.stringify({ status: 413, code: 'payload_too_large', title: 'too large' });
        x.respond(413, {});
      });
      return x as unknown as XMLHttpRequest;
    } };
    await expect(new TusUpload(file, { storage, createXhr: refusing.xhr, sleep }).start()).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(waits).toEqual([]);
  });
});
