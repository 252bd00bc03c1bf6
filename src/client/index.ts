export { ChordClient, type ChordClientOptions, type Key, type PutOptions } from './chord-client.js'
export { ClientError } from './replies.js'
export type * from '../wire/client-messages.js'
export type { NodeStatus, StatusOptions } from './status.js'
