export { ChordClient, type ChordClientOptions, type Key, type PutOptions } from './chord-client.js'
export { ClientError } from '../wire/client-codec.js'
export type * from './types.js'
