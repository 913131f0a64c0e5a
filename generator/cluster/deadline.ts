// Every network call has its own deadline, and the whole run has a budget: a dead member or node is reported as a
// failed row within the budget, never a hang. Libraries that cannot be cancelled (etcd3's dialTimeout does nothing)
// are raced against a timer and closed afterwards by their owner.

export class DeadlineError extends Error {
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what}: no answer within ${(ms / 1000).toFixed(1)} s`);
    this.name = 'DeadlineError';
  }
}

/** Resolves as `work` does, or rejects with DeadlineError after `ms`; the timer never keeps the process alive. */
export function withDeadline<T>(what: string, ms: number, work: Promise<T> | (() => Promise<T>)): Promise<T> {
  const promise = typeof work === 'function' ? work() : work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(what, ms)), Math.max(0, ms));
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The run's time budget. `call(ms)` is the deadline for one call: its own limit, cut to what is left of the budget,
 * so a chain of slow calls still ends within the budget.
 */
export class Budget {
  private readonly endsAt: number;

  constructor(
    readonly totalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.endsAt = now() + totalMs;
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - this.now());
  }

  /** A call's deadline: `ms`, or what remains of the budget when that is less (never below `floorMs`). */
  call(ms: number, floorMs = 250): number {
    // Whole milliseconds: AbortSignal.timeout and gRPC deadlines refuse fractions.
    return Math.max(floorMs, Math.floor(Math.min(ms, this.remainingMs())));
  }

  spent(): boolean {
    return this.remainingMs() <= 0;
  }
}
