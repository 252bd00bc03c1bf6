/**
 * What every entry point (chord, chordd, the scripts) shares: one sleep, and
 * one way from main's outcome to the exit code, so that an expected error is
 * one clear line and a bug shows its stack.
 */
import { setTimeout as wait } from 'node:timers/promises'

/**
 * How long open handles (a libp2p socket still closing, a stray timer) may
 * keep a finished program alive before it exits anyway.
 */
const EXIT_GRACE_MS = 200

/** Resolves after `ms`; rejects with an AbortError once `signal` aborts. */
export async function sleep (ms: number, signal?: AbortSignal): Promise<void> {
  await wait(ms, undefined, { signal })
}

/** An error the program expects (bad options, a refused request): one line, no stack, exit `exitCode`. */
export class ExitError extends Error {
  override name = 'ExitError'
  readonly code: string = 'ERR_EXIT'
  constructor (message: string, readonly exitCode = 1) {
    super(message)
  }
}

/** What to print for an error (as is) and the exit code to end with. */
export interface ErrorReport {
  text: string
  exitCode: number
}

export interface RunMainOptions {
  /** The program's name: an error line reads `name: message`. */
  name: string
  /** The program's own wording for errors it knows; undefined leaves the error to the default. */
  report?: (err: unknown) => ErrorReport | undefined
}

/**
 * Runs `main` and ends the process with its outcome. A number is the exit
 * code; nothing (void) leaves the process running on whatever it serves, as a
 * daemon does. A thrown error is reported by `options.report`, or else: an
 * error with a `code` property (an ExitError, a system error) is expected and
 * prints `name: message`, exiting with its `exitCode` (default 1); any other
 * is a bug and prints its stack, exit 1.
 */
export function runMain (main: () => Promise<number | void>, options: RunMainOptions): void {
  main().then(code => {
    if (typeof code === 'number') exit(code)
  }, (err: unknown) => {
    const { text, exitCode } = options.report?.(err) ?? defaultReport(options.name, err)
    process.stderr.write(`${text}\n`)
    exit(exitCode)
  })
}

function defaultReport (name: string, err: unknown): ErrorReport {
  if (err instanceof Error && (err as { code?: unknown }).code != null) {
    const exitCode = (err as { exitCode?: unknown }).exitCode
    return { text: `${name}: ${err.message}`, exitCode: Number.isInteger(exitCode) ? exitCode as number : 1 }
  }
  const detail = err instanceof Error ? err.stack ?? err.message : String(err)
  return { text: `${name}: unexpected error: ${detail}`, exitCode: 1 }
}

function exit (code: number): void {
  process.exitCode = code
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref()
}
