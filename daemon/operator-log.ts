/**
 * Leveled, timestamped operator logs on stderr (stdout is kept for the
 * machine-readable start-up lines). Protocol traces go through @libp2p/logger
 * instead: DEBUG=chord:* chordd ...
 */
export type Level = 'debug' | 'info' | 'warn' | 'error'
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export function isLevel (s: string): s is Level {
  return s in ORDER
}

export interface OperatorLog {
  debug: (msg: string) => void
  info: (msg: string) => void
  warn: (msg: string) => void
  error: (msg: string) => void
}

export function operatorLog (
  min: Level, write: (line: string) => void = line => process.stderr.write(line)
): OperatorLog {
  const at = (level: Level) => (msg: string): void => {
    if (ORDER[level] < ORDER[min]) return
    write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${msg}\n`)
  }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}
