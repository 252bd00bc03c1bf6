/**
 * Real `chordd` processes for end-to-end tests: spawn the compiled daemon,
 * parse its start-up lines, wait for `ready`, and always clean up.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

/** The repository root: the compiled binaries live under it, in dist/. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const CHORDD = join(ROOT, 'dist/daemon/chordd.js')
export const CHORD = join(ROOT, 'dist/daemon/chord.js')
const run = promisify(execFile)

export interface Daemon {
  proc: ChildProcess
  peerId: string
  ringId: string
  addrs: string[]
  dataDir: string
  output: () => string
  /** What it wrote on stderr so far (its operator log). */
  stderr: () => string
  exited: Promise<number | null>
}

export async function tempDir (prefix = 'chord-test-'): Promise<string> {
  return await mkdtemp(join(tmpdir(), prefix))
}

export async function removeDir (dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}

/** Starts chordd and resolves once it printed `ready` (or rejects with its output). */
export async function startDaemon (args: string[], dataDir: string, readyTimeoutMs = 60_000): Promise<Daemon> {
  const proc = spawn(process.execPath, [CHORDD, '--data-dir', dataDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  proc.stdout?.on('data', (b: Buffer) => { out += b.toString() })
  proc.stderr?.on('data', (b: Buffer) => { err += b.toString() })
  const exited = new Promise<number | null>(resolve => proc.on('exit', code => { resolve(code) }))
  const output = (): string => `${out}${err}`
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL') // never leave a process behind
      reject(new Error(`chordd not ready after ${readyTimeoutMs} ms:\n${output()}`))
    }, readyTimeoutMs)
    const check = (): void => {
      if (/^ready$/m.test(out)) { clearTimeout(timer); resolve() }
    }
    proc.stdout?.on('data', check)
    void exited.then(code => { clearTimeout(timer); reject(new Error(`chordd exited with ${code} before ready:\n${output()}`)) })
  })
  const field = (name: string): string[] => [...out.matchAll(new RegExp(`^${name} (\\S+)$`, 'gm'))].map(m => m[1])
  return {
    proc,
    peerId: field('peer-id')[0],
    ringId: field('ring-id')[0],
    addrs: field('listening'),
    dataDir,
    output,
    stderr: () => err,
    exited
  }
}

/** Sends `signal` and waits for the exit code (SIGKILL after the deadline). */
export async function stopDaemon (
  d: Daemon,
  signal: NodeJS.Signals = 'SIGTERM',
  deadlineMs = 20_000
): Promise<number | null> {
  if (d.proc.exitCode != null || d.proc.signalCode != null) return d.proc.exitCode
  d.proc.kill(signal)
  const timer = setTimeout(() => d.proc.kill('SIGKILL'), deadlineMs)
  try {
    return await d.exited
  } finally {
    clearTimeout(timer)
  }
}

/** Runs the compiled `chord` CLI; resolves with stdout/stderr and the exit code. */
export async function chordCli (
  args: string[],
  timeoutMs = 30_000
): Promise<{ stdout: string, stderr: string, code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CHORD, ...args], { timeout: timeoutMs })
    return { stdout, stderr, code: 0 }
  } catch (err) {
    const e = err as { stdout?: string, stderr?: string, code?: number }
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 }
  }
}
