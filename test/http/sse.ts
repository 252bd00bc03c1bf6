/**
 * A small server-sent events reader for tests: opens a stream with fetch,
 * parses its events as they arrive (with the time each arrived) and lets a
 * test wait for one. Always close() it in `finally`.
 */
import { waitFor } from '../helpers/wait.js'

export interface SseEvent {
  id?: string
  event: string
  data: string
  /** Date.now() when it arrived. */
  at: number
}

export class SseStream {
  readonly events: SseEvent[] = []
  comments = 0
  private constructor (private readonly abort: AbortController, readonly status: number, readonly type: string) {}

  /** Opens `url`; resolves once the response headers arrived. */
  static async open (url: string, headers: Record<string, string> = {}): Promise<SseStream> {
    const abort = new AbortController()
    const res = await fetch(url, { headers, signal: abort.signal })
    const stream = new SseStream(abort, res.status, res.headers.get('content-type') ?? '')
    if (res.body != null) void stream.read(res.body)
    return stream
  }

  private async read (body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder()
    let text = ''
    try {
      for await (const chunk of body) {
        text += decoder.decode(chunk, { stream: true })
        let end: number
        while ((end = text.indexOf('\n\n')) >= 0) {
          this.parse(text.slice(0, end))
          text = text.slice(end + 2)
        }
      }
    } catch {
      // closed
    }
  }

  private parse (block: string): void {
    const e: SseEvent = { event: 'message', data: '', at: Date.now() }
    let fields = 0
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) { this.comments++; continue }
      const i = line.indexOf(':')
      const name = i < 0 ? line : line.slice(0, i)
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '')
      fields++
      if (name === 'id') e.id = value
      else if (name === 'event') e.event = value
      else if (name === 'data') e.data += value
    }
    if (fields > 0) this.events.push(e)
  }

  /** The first event (from now on or already received) that `match` accepts. */
  async waitFor (match: (e: SseEvent) => boolean, timeoutMs: number, what: string): Promise<SseEvent> {
    await waitFor(() => this.events.some(match), timeoutMs, what)
    return this.events.find(match) as SseEvent
  }

  close (): void { this.abort.abort() }
}

/** The parsed data of a member event, or undefined for other events. */
export function memberData (e: SseEvent): { peerId: string, from: string, to: string } | undefined {
  return e.event === 'member' ? JSON.parse(e.data) : undefined
}
