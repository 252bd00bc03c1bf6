/** INFO: this node's ring state, uptime and storage limits. */
import { encodeNode } from '../../wire/node-codec.js'
import type { ClientHandler } from './context.js'

export const infoHandler: ClientHandler = async ({ chord, kv, startedAt }) => {
  const s = chord.state()
  const k = kv.settings
  return {
    ok: true,
    storage: {
      maxKeyBytes: k.maxKeyBytes,
      maxValueBytes: k.maxValueBytes,
      replicas: k.replicas,
      writeQuorum: k.writeQuorum,
      readQuorum: k.readQuorum
    },
    self: encodeNode(s.self),
    predecessor: s.predecessor != null ? encodeNode(s.predecessor) : undefined,
    successors: s.successors.map(encodeNode),
    fingers: s.fingers.map(f => ({ index: f.index, node: encodeNode(f.node) })),
    uptimeMs: BigInt(Date.now() - startedAt)
  }
}
