/**
 * The network half of `chord`: everything a command that talks to a daemon
 * needs (libp2p, Noise, yamux, the client, the key files), behind one module
 * so that the CLI loads it only for such a command. The build bundles it into
 * one file, net.bundle.cjs next to this one (scripts/bundle-cli.ts), which
 * load-net.ts runs through V8's code cache; without the bundle (running from
 * source) load-net.ts imports this module as it is.
 */
export { multiaddr } from '@multiformats/multiaddr'
export { ChordClient } from '../../src/client/index.js'
export { loadSwarmKey } from '../../src/net/swarm-key.js'
export { loadOrCreateClientIdentity } from '../../src/net/client-identity.js'
