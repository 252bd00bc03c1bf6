/**
 * Measures what one ring RPC costs between two libp2p nodes on loopback:
 * with a new stream per request, and with StreamRpc's reused streams.
 * Run: npm run bench:rpc [-- --count 2000]
 */
import '../src/runtime/shim.js'
import { runMain } from '../daemon/entry.js'
import { ChordPeer } from '../src/peer/chord-peer.js'
import { StreamRpc } from '../src/net/stream-rpc.js'
import { streamHostOfNode } from '../src/net/stream-host.js'
import { RING_PROTOCOL } from '../src/net/protocols.js'
import { encodeRingRequest, decodeRingResponse } from '../src/wire/ring-codec.js'
import { lpStream } from '@libp2p/utils'
import { logger } from '@libp2p/logger'
import { MAX_RING_FRAME_BYTES } from '../src/config/limits.js'
import { multiaddr } from '@multiformats/multiaddr'
import { timeSerial } from './stats.js'

async function main (): Promise<number> {
  const countArg = process.argv.indexOf('--count')
  const count = countArg > 0 ? Number(process.argv[countArg + 1]) : 2000
  const server = await ChordPeer.start({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  server.createRing()
  const client = await ChordPeer.start({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  const ping = encodeRingRequest({ type: 'ping' })
  const target = multiaddr(server.multiaddrs()[0])

  const fresh = await timeSerial(count, Math.min(100, count), async () => {
    const stream = await client.libp2p.dialProtocol(target, RING_PROTOCOL)
    const lp = lpStream(stream)
    await lp.write(ping)
    decodeRingResponse(await lp.read())
    await stream.close()
  })
  const rpc = new StreamRpc(
    streamHostOfNode(client.libp2p), { protocol: RING_PROTOCOL, maxFrameBytes: MAX_RING_FRAME_BYTES }, logger('bench')
  )
  const reused = await timeSerial(count, Math.min(100, count), async () => {
    decodeRingResponse(await rpc.call(server.self.peerId, server.self.addrs, ping, 5000))
  })
  const fmt = (r: { p50: number, p99: number, mean: number }): string => `p50 ${r.p50.toFixed(3)} ms  p99 ${r.p99.toFixed(3)} ms  mean ${r.mean.toFixed(3)} ms`
  process.stdout.write(`ring PING over libp2p on 127.0.0.1, ${count} calls each\n`)
  process.stdout.write(`  new stream per call   ${fmt(fresh)}\n`)
  process.stdout.write(`  reused stream (pool)  ${fmt(reused)}\n`)
  await rpc.stop()
  await client.stop({ leave: false })
  await server.stop({ leave: false })
  return 0
}

runMain(main, { name: 'bench-rpc' })
