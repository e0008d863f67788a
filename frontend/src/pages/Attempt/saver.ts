import type { AnswerKey } from '../../api/types';

export type SaveState =
  | { status: 'dirty' }
  | { status: 'saving' }
  | { status: 'saved'; savedAt: string }
  | { status: 'error'; error: unknown };

interface Slot {
  timer?: ReturnType<typeof setTimeout>;
  /** The latest response not yet sent. */
  pending?: AnswerKey;
  inflight?: Promise<void>;
}

/**
 * Autosave of a quiz's answers, one queue per question: a change waits `delay` ms when debounced (typing) or goes at
 * once (a click); at most one request per question is in flight, and a change made meanwhile is sent after it, so
 * the server always ends with the latest response, never an older one that arrived late.
 */
export class AnswerSaver {
  private slots = new Map<number, Slot>();
  private disposed = false;

  constructor(
    private readonly send: (questionId: number, response: AnswerKey) => Promise<{ saved_at: string }>,
    private readonly onState: (questionId: number, state: SaveState) => void,
    private readonly delay = 600,
  ) {}

  private slot(id: number): Slot {
    let s = this.slots.get(id);
    if (!s) {
      s = {};
      this.slots.set(id, s);
    }
    return s;
  }

  /** A new response for a question. */
  change(questionId: number, response: AnswerKey, debounce: boolean): void {
    if (this.disposed) return;
    const s = this.slot(questionId);
    s.pending = response;
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
    this.onState(questionId, { status: 'dirty' });
    if (debounce) s.timer = setTimeout(() => this.fire(questionId), this.delay);
    else this.fire(questionId);
  }

  private fire(questionId: number): Promise<void> {
    const s = this.slot(questionId);
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
    if (s.inflight) {
      const next = () => (s.pending && !s.timer ? this.fire(questionId) : undefined);
      return s.inflight.then(next, next);
    }
    const response = s.pending;
    if (!response || this.disposed) return Promise.resolve();
    s.pending = undefined;
    this.onState(questionId, { status: 'saving' });
    s.inflight = this.send(questionId, response)
      .then(
        (r) => {
          if (!s.pending && !this.disposed) this.onState(questionId, { status: 'saved', savedAt: r.saved_at });
        },
        (error: unknown) => {
          // Keep the response to retry with the next change or flush (unless a newer one is waiting already).
          s.pending ??= response;
          if (!this.disposed) this.onState(questionId, { status: 'error', error });
          throw error;
        },
      )
      .finally(() => {
        s.inflight = undefined;
      });
    const mine = s.inflight;
    return mine.then(
      () => (s.pending && !s.timer ? this.fire(questionId) : undefined),
      () => undefined,
    );
  }

  /** Questions with a change not yet on the server (waiting, in flight or failed). */
  unsaved(): number[] {
    return [...this.slots.entries()].filter(([, s]) => s.pending || s.inflight || s.timer).map(([id]) => id);
  }

  /** Sends every waiting change now and waits for all of them; rejects if any of them failed. */
  async flush(): Promise<void> {
    const ids = [...this.slots.keys()];
    await Promise.all(ids.map((id) => this.fire(id)));
    const left = this.unsaved();
    if (left.length) throw new Error(`unsaved answers: ${left.join(',')}`);
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.slots.values()) if (s.timer) clearTimeout(s.timer);
  }
}
