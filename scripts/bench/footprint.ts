/**
 * What a process costs the machine: resident memory, and bytes it sends on TCP.
 *
 * Memory is VmRSS from /proc/<pid>/status; CPU time is utime + stime from
 * /proc/<pid>/stat (all threads, exited ones included; 10 ms clock ticks).
 *
 * TCP traffic comes from the kernel's per-socket counters (struct tcp_info,
 * read over sock_diag netlink by `ss -tinpe`): for every TCP socket (IPv4 and
 * IPv6) owned by the process, `bytes_sent` (TCP payload bytes handed to the
 * network, retransmissions included, headers excluded) since the socket was
 * created. There is no per-process cumulative TCP counter in Linux
 * (/proc/<pid>/net/* is per network namespace, /proc/<pid>/io counts all
 * writes, files and pipes included), so figures are sums over the sockets
 * alive at the moment of reading. Consequently:
 *
 * - a socket that closed between two readings loses the bytes it sent after
 *   the earlier reading (and one opened and closed between readings is not
 *   seen at all), so a traffic figure is a LOWER BOUND over its window;
 *   maintenanceTraffic polls within the window to narrow that gap;
 * - sockets the process has already closed but the kernel still holds
 *   (FIN-WAIT, TIME-WAIT) have no owner and are not counted;
 * - a socket shared by several processes (inherited fd) counts for each.
 *
 * Needs Linux, iproute2's `ss`, and permission to see the processes' fds (root).
 */
import { execFile } from 'node:child_process'
import { readFile, stat } from 'node:fs/promises'
import { promisify } from 'node:util'
import { sleep } from '../../daemon/entry.js'

const run = promisify(execFile)

/** One TCP socket as `ss -tinpe` reports it. */
export interface TcpSocketReading {
  /** Identity of the socket for this boot: the sk cookie, else inode, else the address pair. */
  key: string
  state: string
  local: string
  peer: string
  /** Processes holding the socket (empty for orphaned sockets). */
  pids: number[]
  /** tcpi_bytes_sent: payload bytes sent, retransmissions included. */
  bytesSent: number
  /** tcpi_bytes_acked: payload bytes acknowledged by the peer (+1 each for SYN and FIN). */
  bytesAcked: number
  bytesReceived: number
}

export interface MaintenanceTraffic {
  /** Bytes per second each pid sent on TCP over the window, in the order of `pids`. */
  perPidBytesPerSec: number[]
  meanBytesPerSec: number
  maxBytesPerSec: number
}

export interface MaintenanceTrafficOptions {
  /**
   * Interval of intermediate readings within the window, in ms, so that sockets
   * closing mid-window lose at most this much of their traffic. Infinity means
   * just the two readings at the ends of the window. @default 1000
   */
  pollMs?: number
}

/** Resident set size of `pid` in bytes (VmRSS of /proc/<pid>/status). */
export async function rssBytes (pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const m = /^VmRSS:\s*(\d+)\s*kB\s*$/m.exec(status)
  if (m == null) throw new Error(`no VmRSS for pid ${pid} (exited, a zombie or a kernel thread?)`)
  return Number(m[1]) * 1024
}

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on every Linux this runs on). */
const USER_HZ = 100

/** CPU time (user + system, all threads) `pid` has used so far, in ms, with 1000 / USER_HZ ms granularity. */
export async function cpuMs (pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ') // the name may hold spaces and parentheses
  return (Number(fields[11]) + Number(fields[12])) * 1000 / USER_HZ // fields 14 and 15: utime, stime
}

/** Parses the output of `ss -tinpeH` (or `ss -tinpH`); the tcp_info is on a continuation line. */
export function parseSs (output: string): TcpSocketReading[] {
  const records: string[][] = []
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue
    if (/^\s/.test(line)) {
      records[records.length - 1]?.push(line) // tcp_info of the socket above
    } else {
      records.push([line])
    }
  }
  const sockets: TcpSocketReading[] = []
  for (const [header, ...info] of records) {
    // State Recv-Q Send-Q Local:Port Peer:Port [users:((...))] [uid:0 ino:1 sk:1 ...] [tcp_info]
    const h = /^(\S+)\s+\d+\s+\d+\s+(\S+)\s+(\S+)(.*)$/.exec(header)
    if (h == null) continue
    const [, state, local, peer, rest] = h
    const pids = [...rest.matchAll(/,pid=(\d+),fd=\d+\)/g)].map(m => Number(m[1]))
    const sk = /(?:^|\s)sk:([0-9a-f]+)/.exec(rest)?.[1]
    const ino = /(?:^|\s)ino:(\d+)/.exec(rest)?.[1]
    const text = [rest, ...info].join(' ')
    const field = (name: string): number => {
      const m = new RegExp(`(?:^|\\s)${name}:(\\d+)`).exec(text)
      return m == null ? 0 : Number(m[1]) // ss omits zero counters
    }
    sockets.push({
      key: sk != null ? `sk:${sk}` : ino != null && ino !== '0' ? `ino:${ino}` : `${local}>${peer}`,
      state,
      local,
      peer,
      pids: [...new Set(pids)],
      bytesSent: field('bytes_sent'),
      bytesAcked: field('bytes_acked'),
      bytesReceived: field('bytes_received')
    })
  }
  return sockets
}

/** Every non-listening TCP socket on the machine (this network namespace), with its owners. */
export async function tcpSockets (): Promise<TcpSocketReading[]> {
  const { stdout } = await run('ss', ['-tinpeH'], { maxBuffer: 256 * 1024 * 1024 })
  return parseSs(stdout)
}

/**
 * Bytes sent so far on the TCP sockets `pid` currently holds, from the kernel.
 * Sockets already closed are not included: differences of two calls are a lower bound.
 */
export async function tcpBytesSent (pid: number): Promise<number> {
  let total = 0
  for (const s of await tcpSockets()) if (s.pids.includes(pid)) total += s.bytesSent
  return total
}

async function assertAlive (pid: number): Promise<void> {
  try {
    await stat(`/proc/${pid}`)
  } catch {
    throw new Error(`no process ${pid}`)
  }
}

/**
 * Bytes per second each of `pids` sends on TCP over `windowMs` (the idle,
 * maintenance traffic of a daemon when nothing else drives it). Reads the
 * kernel counters at the start, every `pollMs`, and at the end; a socket's
 * contribution is its last seen counter minus its counter at the start (0 if
 * it opened within the window). A lower bound: see the file comment.
 */
export async function maintenanceTraffic (
  pids: number[], windowMs: number, opts: MaintenanceTrafficOptions = {}
): Promise<MaintenanceTraffic> {
  if (!(windowMs > 0)) throw new Error(`bad window ${windowMs} ms`)
  for (const pid of pids) await assertAlive(pid)
  const pollMs = opts.pollMs ?? 1000
  if (!(pollMs >= 10)) throw new Error(`bad poll interval ${pollMs} ms`)
  const wanted = new Set(pids)

  const read = async (): Promise<{ at: number, sockets: TcpSocketReading[] }> => {
    const before = performance.now()
    const sockets = (await tcpSockets()).filter(s => s.pids.some(p => wanted.has(p)))
    return { at: (before + performance.now()) / 2, sockets }
  }

  const first = await read()
  const start = new Map(first.sockets.map(s => [s.key, s.bytesSent]))
  const last = new Map<string, TcpSocketReading>(first.sockets.map(s => [s.key, s]))
  const end = first.at + windowMs
  let lastAt = first.at
  while (true) {
    const now = performance.now()
    if (now >= end) break
    await sleep(Math.ceil(Math.min(pollMs, end - now)))
    const r = await read()
    for (const s of r.sockets) last.set(s.key, s)
    lastAt = r.at
  }

  const seconds = (lastAt - first.at) / 1000
  const sent = new Map<number, number>(pids.map(p => [p, 0]))
  for (const s of last.values()) {
    const delta = Math.max(0, s.bytesSent - (start.get(s.key) ?? 0))
    for (const p of s.pids) if (sent.has(p)) sent.set(p, (sent.get(p) ?? 0) + delta)
  }
  const perPidBytesPerSec = pids.map(p => (sent.get(p) ?? 0) / seconds)
  return {
    perPidBytesPerSec,
    meanBytesPerSec: perPidBytesPerSec.length === 0
      ? 0
      : perPidBytesPerSec.reduce((a, b) => a + b, 0) / perPidBytesPerSec.length,
    maxBytesPerSec: perPidBytesPerSec.length === 0 ? 0 : Math.max(...perPidBytesPerSec)
  }
}
