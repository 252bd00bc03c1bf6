/**
 * Per-key serialization: operations on one key run one after another, in
 * the order they asked; other keys are not held up. The map holds only keys
 * with work queued.
 */
import { keyHex } from './record.js'

export class KeyLock {
  private readonly tails = new Map<string, Promise<void>>()

  async with<T> (key: Uint8Array, fn: () => Promise<T>): Promise<T> {
    const k = keyHex(key)
    const prev = this.tails.get(k) ?? Promise.resolve()
    const run = prev.then(fn)
    const tail = run.then(() => {}, () => {})
    this.tails.set(k, tail)
    void tail.then(() => { if (this.tails.get(k) === tail) this.tails.delete(k) })
    return await run
  }
}
