/**
 * The summary index's concurrency (see summary-index.ts): writes of one key
 * go one at a time, so the record a write reads as the one it replaces is
 * that one; and a gate whose exclusive sections (rescans of a bucket) wait for
 * the writes running and hold new ones off.
 */

/**
 * Shared (writes) and exclusive (rescans) sections; an exclusive section waits
 * for the shared ones running and holds new ones off.
 */
export class Gate {
  private readers = 0
  private closed: Promise<void> | undefined
  private drained: (() => void) | undefined

  async shared<T> (fn: () => Promise<T>): Promise<T> {
    while (this.closed != null) await this.closed
    this.readers++
    try {
      return await fn()
    } finally {
      if (--this.readers === 0) this.drained?.()
    }
  }

  async exclusive<T> (fn: () => Promise<T>): Promise<T> {
    while (this.closed != null) await this.closed
    let open!: () => void
    this.closed = new Promise<void>(resolve => { open = resolve })
    try {
      if (this.readers > 0) await new Promise<void>(resolve => { this.drained = resolve })
      this.drained = undefined
      return await fn()
    } finally {
      this.closed = undefined
      open()
    }
  }
}

/** Per-key write order. */
export class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>()

  /** Writes to these keys wait for earlier ones; returns the release. */
  async lock (keys: string[]): Promise<() => void> {
    let release!: () => void
    const mine = new Promise<void>(resolve => { release = resolve })
    const before: Array<Promise<void>> = []
    for (const k of keys) {
      const tail = this.tails.get(k)
      if (tail !== undefined) before.push(tail)
      this.tails.set(k, mine)
    }
    if (before.length > 0) await Promise.all(before)
    return () => {
      release()
      for (const k of keys) if (this.tails.get(k) === mine) this.tails.delete(k)
    }
  }
}
