/** PUT, DELETE and GET: this node coordinates the request with the key's replicas. */
import type { ClientHandler } from './context.js'

export const putHandler: ClientHandler = async ({ kv }, req) => {
  const res = await kv.put(req.key, req.value, { ttlMs: Number(req.ttlMs), sync: req.sync })
  return { ok: true, version: res.version, acks: res.acks, replicas: res.replicas.length }
}

export const deleteHandler: ClientHandler = async ({ kv }, req) => {
  const res = await kv.delete(req.key, { sync: req.sync })
  return { ok: true, version: res.version, acks: res.acks, replicas: res.replicas.length }
}

export const getHandler: ClientHandler = async ({ kv }, req) => {
  const res = await kv.get(req.key)
  return {
    ok: true,
    found: res.found,
    value: res.value as Uint8Array<ArrayBuffer> | undefined,
    version: res.version,
    expiresAt: BigInt(res.expiresAt ?? 0),
    answered: res.answered
  }
}
