/**
 * Leveled, timestamped operator logs on stderr (stdout is kept for the
 * machine-readable start-up lines). Every line is one call naming a stable
 * event (`member-state`, `successor`, `join-failed`, …) with its fields and a
 * sentence for people; the format decides which of them a line shows:
 * `text` the time, level and sentence, `json` one object a line with `time`,
 * `level`, `event`, the fields and the sentence as `msg`. Protocol traces go
 * through @libp2p/logger instead: DEBUG=chord:* chordd ...
 */
import type { LogFormat } from './chordd-config.js'

export type { LogFormat }
export type Level = 'debug' | 'info' | 'warn' | 'error'
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export function isLevel (s: string): s is Level {
  return s in ORDER
}

/** What an event carries beside its sentence; undefined fields are left out. */
export type LogFields = Record<string, string | number | boolean | null | undefined | string[]>

/** One log call: a stable short event name, its fields, and the sentence the text format shows. */
export type LogCall = (event: string, fields: LogFields, text: string) => void

export interface OperatorLog {
  debug: LogCall
  info: LogCall
  warn: LogCall
  error: LogCall
}

export interface OperatorLogOptions {
  /** Lines below this level are dropped. @default 'info' */
  level?: Level
  /** @default 'text' */
  format?: LogFormat
  /** Where each line (with its newline) goes. @default process.stderr */
  write?: (line: string) => void
  /** @default () => new Date() */
  now?: () => Date
}

/** Keys of a JSON line that fields cannot take over. */
const RESERVED = new Set(['time', 'level', 'event', 'msg'])

/** One line in either format (with its newline). */
export function formatLogLine (
  format: LogFormat, at: Date, level: Level, event: string, fields: LogFields, text: string
): string {
  if (format === 'text') return `${at.toISOString()} ${level.toUpperCase().padEnd(5)} ${text}\n`
  const line: Record<string, unknown> = { time: at.toISOString(), level, event }
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined && !RESERVED.has(k)) line[k] = v
  }
  line.msg = text
  return `${JSON.stringify(line)}\n`
}

export function operatorLog (options: OperatorLogOptions = {}): OperatorLog {
  const min = options.level ?? 'info'
  const format = options.format ?? 'text'
  const write = options.write ?? (line => process.stderr.write(line))
  const now = options.now ?? (() => new Date())
  const at = (level: Level): LogCall => (event, fields, text) => {
    if (ORDER[level] < ORDER[min]) return
    write(formatLogLine(format, now(), level, event, fields, text))
  }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}
