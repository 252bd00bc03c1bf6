/**
 * Works around a bug in xsalsa20 1.2.0, the cipher @libp2p/pnet runs every
 * private-ring connection through (found by `npm run fuzz`): all instances
 * share one WebAssembly memory, but each caches a view of it. Once one
 * instance grows the memory (a chunk over ~640 KiB, e.g. a large value), every
 * other view is detached (length 0), and each such instance grows the memory
 * again by at least a page on its next update although it is large enough;
 * with two connections taking turns the memory reaches its cap within about a
 * thousand turns and `update` throws inside libp2p's send path, which kills
 * the process. The guard gives an instance whose view is detached a fresh view
 * before it works. Installed once per process by createChordLibp2p when a
 * swarm key is used; harmless once the bug is fixed upstream.
 */
import { createRequire } from 'node:module'

interface Instance { _xor?: { _memory?: Uint8Array } }
interface XSalsa20 {
  new (nonce: Uint8Array, key: Uint8Array): Instance & { finalize: () => void }
  prototype: { update: (this: Instance, input: Uint8Array, output?: Uint8Array) => Uint8Array }
}

let installed = false

/** Patches the copy of xsalsa20 that @libp2p/pnet loads; safe to call more than once. */
export function guardXsalsa20 (): void {
  if (installed) return
  installed = true
  // the copy @libp2p/pnet loads (CommonJS: the same module object as its import)
  const require = createRequire(createRequire(import.meta.url).resolve('@libp2p/pnet'))
  const Cipher = require('xsalsa20') as XSalsa20
  const update = Cipher.prototype.update
  Cipher.prototype.update = function (input, output) {
    const wasm = this._xor
    if (wasm?._memory != null && wasm._memory.length === 0) {
      const fresh = new Cipher(new Uint8Array(24), new Uint8Array(32))
      wasm._memory = fresh._xor?._memory
      fresh.finalize()
    }
    return update.call(this, input, output)
  }
}
