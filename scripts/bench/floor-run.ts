/**
 * Prints the transport floor (scripts/bench/floor.ts) as JSON.
 * Run: npm run build && node dist/scripts/bench/floor-run.js [--count 2000] [--message-bytes 64]
 */
import '../../src/runtime/shim.js'
import { runMain } from '../../daemon/entry.js'
import { measureFloor } from './floor.js'

async function main (): Promise<number> {
  const arg = (name: string, fallback: number): number => {
    const i = process.argv.indexOf(name)
    return i > 0 ? Number(process.argv[i + 1]) : fallback
  }
  const result = await measureFloor({ count: arg('--count', 2000), messageBytes: arg('--message-bytes', 64) })
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
  return 0
}

runMain(main, { name: 'floor-run' })
