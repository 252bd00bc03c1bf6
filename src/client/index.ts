export { ChordClient, type ChordClientOptions } from './chord-client.js'
export { ClientError } from '../wire/client-codec.js'
export type * from './types.js'
