/**
 * The gateway's event buffer for /v1/events: every ring and member change
 * gets the next integer id and is kept among the last `capacity`, so a
 * client that reconnects with the last id it saw (Last-Event-ID) gets what
 * it missed, each event once; a client whose id is no longer in the buffer
 * (or from another run of the daemon) is told to reset instead.
 */

/** One server-sent event: its id, its `event:` name and its JSON data. */
export interface LoggedEvent {
  id: number
  event: string
  data: unknown
}

export interface EventLogInit {
  /** Events kept for reconnecting clients. @default 1000 */
  capacity?: number
  /**
   * The first event's id. Starting at the wall-clock ms makes a restarted
   * daemon's ids exceed its previous run's, so a client resuming from the old
   * run is told to reset. @default Date.now()
   */
  firstId?: number
}

export class EventLog {
  private readonly capacity: number
  private readonly buffer: LoggedEvent[] = []
  private nextId: number
  private readonly listeners = new Set<(e: LoggedEvent) => void>()

  constructor (init: EventLogInit = {}) {
    this.capacity = Math.max(1, init.capacity ?? 1000)
    this.nextId = init.firstId ?? Date.now()
  }

  /** The id of the newest event, or one less than the first id when there is none yet. */
  get lastId (): number { return this.nextId - 1 }

  /** Logs an event under the next id and hands it to every subscriber. */
  append (event: string, data: unknown): LoggedEvent {
    const e: LoggedEvent = { id: this.nextId++, event, data }
    this.buffer.push(e)
    if (this.buffer.length > this.capacity) this.buffer.shift()
    for (const listener of this.listeners) listener(e)
    return e
  }

  /**
   * The events after `id`, oldest first, or 'reset' when some of them are no
   * longer kept or `id` was never handed out by this log.
   */
  since (id: number): LoggedEvent[] | 'reset' {
    const oldestKept = this.nextId - this.buffer.length
    if (!Number.isSafeInteger(id) || id >= this.nextId || id + 1 < oldestKept) return 'reset'
    return this.buffer.slice(id + 1 - oldestKept)
  }

  /** Calls `listener` with each event appended from now on; returns the unsubscribe. */
  subscribe (listener: (e: LoggedEvent) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }
}
