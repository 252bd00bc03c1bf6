/**
 * Asking several replicas at once: gather calls them (all at once, or R
 * first and the rest as a hedge) and reports once enough have answered and
 * once all have; helpers read the replies.
 */
import type { NodeRef } from '../ring/node-ref.js'
import type { Clock } from '../runtime/ports.js'
import type { KvResponse } from '../wire/kv-messages.js'
import { KvError } from './errors.js'

export interface Reply<T> { node: NodeRef, value?: T, error?: Error }

/** Replies to one request sent to several replicas: once enough have answered, and once all have. */
export interface Gathered<T> { reached: Promise<Array<Reply<T>>>, all: Promise<Array<Reply<T>>> }

export interface GatherOptions<T> {
  /** Replies that count towards `need`. @default every reply */
  counts?: (value: T) => boolean
  /** Call `first` targets, then the rest when `need` is not reached within `afterMs`. @default call all at once */
  hedge?: { first: number, afterMs: number }
}

/**
 * Calls the targets; `reached` resolves once `need` replies satisfied
 * `counts` (or every target was called and answered or failed), `all` once
 * every call made has settled. Without `hedge` every target is called at
 * once; with it, the first `hedge.first`, then one more for each that
 * fails, and all the rest if `need` is not reached within
 * `hedge.afterMs`. Late replies keep arriving after `reached`: they are
 * not cancelled.
 */
export function gather<T> (
  clock: Clock, targets: NodeRef[], need: number, call: (node: NodeRef) => Promise<T>, options: GatherOptions<T> = {}
): Gathered<T> {
  const counts = options.counts ?? (() => true)
  const replies: Array<Reply<T>> = []
  let resolveReached: (replies: Array<Reply<T>>) => void = () => {}
  let resolveAll: (replies: Array<Reply<T>>) => void = () => {}
  const reached = new Promise<Array<Reply<T>>>(resolve => { resolveReached = resolve })
  const all = new Promise<Array<Reply<T>>>(resolve => { resolveAll = resolve })
  let good = 0
  let started = 0
  let done = false
  let cancelHedge = (): void => {}
  const finish = (): void => {
    if (!done && (good >= need || replies.length === targets.length)) {
      done = true
      cancelHedge()
      resolveReached([...replies])
    }
    if (done && replies.length === started) resolveAll([...replies])
  }
  const start = (): void => {
    const node = targets[started++]
    void call(node).then(value => {
      replies.push({ node, value })
      if (counts(value)) good++
    }, err => {
      replies.push({ node, error: err as Error })
      if (!done && started < targets.length) start() // a failed replica: ask the next one
    }).then(finish)
  }
  const startAll = (): void => { while (started < targets.length) start() }
  if (options.hedge == null) startAll()
  else {
    while (started < Math.min(options.hedge.first, targets.length)) start()
    cancelHedge = clock.schedule(options.hedge.afterMs, () => { if (!done) startAll() })
  }
  finish()
  return { reached, all }
}

/** The reply if it is of the expected type; a replica's refusal or a wrong reply as a KvError. */
export function expectReply<T extends KvResponse['type']> (reply: KvResponse, type: T): KvResponse & { type: T } {
  if (reply.type === type) return reply as KvResponse & { type: T }
  if (reply.type === 'error') {
    throw new KvError(reply.code === 'TOO_LARGE' ? 'TOO_LARGE' : 'BAD_REQUEST', `replica refused: ${reply.message}`)
  }
  throw new KvError('BAD_REQUEST', `expected a ${type} reply, got ${reply.type}`)
}

/** The failed replicas of a quorum error, as text: `; a: reason, b: reason`. */
export function failures (replies: Array<Reply<unknown>>): string {
  const errs = replies
    .filter(r => r.error != null)
    .map(r => `${r.node.peerId.slice(-8)}: ${(r.error as Error).message}`)
  return errs.length > 0 ? `; ${errs.join('; ')}` : ''
}
