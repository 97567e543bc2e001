// A Cloudflare Queue in memory, for running the Worker's producer and consumer on Node (the real thing runs
// in Miniflare in test/worker-queues.test.ts). It keeps the contract the consumer relies on: a message is
// delivered until acknowledged; retry({ delaySeconds }) delivers it again after that delay with attempts + 1;
// a handler that throws gets every message it did not acknowledge delivered again; after max_retries a
// message moves to the dead-letter queue (or is dropped without one). Time is the test's clock: a drain
// moves it forward to the next delayed message instead of waiting.
import type { DigestMessage, DigestQueue, QueueMessage, QueueMessageBatch, QueueSendRequest } from "../../src/worker/queue-messages";

interface Stored {
  id: string;
  body: unknown;
  failures: number;
  availableAt: number;
}

export interface Clock {
  now: Date;
  advance(ms: number): void;
}

export type Consumer = (batch: QueueMessageBatch) => Promise<unknown>;

let seq = 0;

export class FakeQueue implements DigestQueue {
  /** Every body ever sent to this queue, in order (what the producer enqueued). */
  readonly sent: Array<{ body: unknown; delaySeconds: number }> = [];
  /** Deliveries made: message id → how many times it was handed to a consumer. */
  readonly deliveries = new Map<string, number>();
  /** Every retry asked for, with its delay. */
  readonly retries: Array<{ id: string; delaySeconds: number }> = [];
  private pending: Stored[] = [];

  constructor(
    readonly name: string,
    private readonly clock: Clock,
    private readonly options: { maxRetries: number; deadLetter?: FakeQueue },
  ) {}

  get size(): number {
    return this.pending.length;
  }

  async send(body: DigestMessage, options: { delaySeconds?: number } = {}): Promise<void> {
    this.put(body, options.delaySeconds ?? 0);
  }

  async sendBatch(messages: Iterable<QueueSendRequest<DigestMessage>>, options: { delaySeconds?: number } = {}): Promise<void> {
    const list = [...messages];
    if (list.length > 100) throw new Error("sendBatch: at most 100 messages a call");
    const bytes = list.reduce((n, m) => n + JSON.stringify(m.body).length, 0);
    if (bytes > 256_000) throw new Error(`sendBatch: ${bytes} bytes, more than 256 KB`);
    for (const m of list) this.put(m.body, m.delaySeconds ?? options.delaySeconds ?? 0);
  }

  /** A body the producer never sent (bad input, a copy of a message: a delivery twice). */
  put(body: unknown, delaySeconds = 0): string {
    const id = `m${++seq}`;
    this.sent.push({ body, delaySeconds });
    this.pending.push({ id, body, failures: 0, availableAt: this.clock.now.getTime() + delaySeconds * 1000 });
    return id;
  }

  /** Forgets every message waiting (a queue that lost them). */
  lose(): number {
    return this.pending.splice(0).length;
  }

  /** The next batch of messages available now, up to `size` (removed from the queue while delivered). */
  take(size: number): Stored[] {
    const now = this.clock.now.getTime();
    const ready = this.pending.filter((m) => m.availableAt <= now).slice(0, size);
    this.pending = this.pending.filter((m) => !ready.includes(m));
    return ready;
  }

  /** Hands `taken` to `consumer` as one invocation and applies what it acknowledged or retried. */
  async deliver(taken: Stored[], consumer: Consumer): Promise<void> {
    const decided = new Map<Stored, { kind: "ack" } | { kind: "retry"; delaySeconds: number }>();
    const messages: QueueMessage[] = taken.map((m) => {
      this.deliveries.set(m.id, (this.deliveries.get(m.id) ?? 0) + 1);
      return {
        id: m.id,
        body: structuredClone(m.body),
        attempts: m.failures + 1,
        ack: () => void decided.set(m, { kind: "ack" }),
        retry: (o?: { delaySeconds?: number }) => void decided.set(m, { kind: "retry", delaySeconds: o?.delaySeconds ?? 0 }),
      };
    });
    let threw = false;
    try {
      await consumer({ queue: this.name, messages });
    } catch {
      threw = true;
    }
    for (const m of taken) {
      const decision = decided.get(m);
      // A handler that returns acknowledges what it did not retry; one that throws, only what it acknowledged.
      if (decision?.kind === "ack" || (!decision && !threw)) continue;
      const delaySeconds = decision?.kind === "retry" ? decision.delaySeconds : 0;
      this.retries.push({ id: m.id, delaySeconds });
      m.failures++;
      if (m.failures > this.options.maxRetries) {
        this.options.deadLetter?.put(m.body);
        continue;
      }
      m.availableAt = this.clock.now.getTime() + delaySeconds * 1000;
      this.pending.push(m);
    }
  }

  /**
   * Delivers batches of `batchSize` until the queue is empty, moving the clock to the next delayed message
   * when none is ready. `parallel` invocations run at once. Returns the number of invocations.
   */
  async drain(consumer: Consumer, options: { batchSize: number; parallel?: number; maxInvocations?: number }): Promise<number> {
    let invocations = 0;
    const limit = options.maxInvocations ?? 10_000;
    while (this.pending.length > 0 && invocations < limit) {
      const round: Stored[][] = [];
      for (let i = 0; i < (options.parallel ?? 1); i++) {
        const taken = this.take(options.batchSize);
        if (taken.length > 0) round.push(taken);
      }
      if (round.length === 0) {
        const next = Math.min(...this.pending.map((m) => m.availableAt));
        this.clock.advance(next - this.clock.now.getTime());
        continue;
      }
      invocations += round.length;
      await Promise.all(round.map((taken) => this.deliver(taken, consumer)));
    }
    return invocations;
  }
}
