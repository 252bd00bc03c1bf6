/**
 * Byte-level frame builders: varint length prefixes (including the ones no
 * honest peer sends: 2^31, 2^64 − 1, unterminated), framed bodies, and
 * bodies padded to an exact frame size with an unknown protobuf field (which
 * decoders skip, so the padded request stays valid).
 */

/** The unsigned LEB128 varint of `n` (a bigint, so 2^64 − 1 fits). */
export function varint (n: number | bigint): Uint8Array {
  let v = BigInt(n)
  const out: number[] = []
  do {
    const low = Number(v & 0x7fn)
    v >>= 7n
    out.push(v > 0n ? low | 0x80 : low)
  } while (v > 0n)
  return Uint8Array.from(out)
}

export function concat (...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const p of parts) { out.set(p, at); at += p.byteLength }
  return out
}

/** One length-prefixed frame, as every chord protocol sends them. */
export function frame (body: Uint8Array): Uint8Array {
  return concat(varint(body.byteLength), body)
}

/** `n` continuation bytes: a varint that never ends. */
export function unterminatedVarint (n: number): Uint8Array {
  return new Uint8Array(n).fill(0x80)
}

/** Field 2047 (wire type 2, length-delimited): no chord message has it, so decoders skip it. */
const PAD_TAG = varint((2047 << 3) | 2)

/**
 * `body` followed by an unknown length-delimited field, so the body is
 * exactly `size` bytes (size must leave room for the field's header).
 */
export function padTo (body: Uint8Array, size: number): Uint8Array {
  const room = size - body.byteLength - PAD_TAG.byteLength
  // the length prefix of the padding shrinks the padding it describes
  for (let lenBytes = 1; lenBytes <= 5; lenBytes++) {
    const padLen = room - lenBytes
    if (padLen >= 0 && varint(padLen).byteLength === lenBytes) {
      return concat(body, PAD_TAG, varint(padLen), new Uint8Array(padLen))
    }
  }
  throw new Error(`cannot pad ${body.byteLength} bytes to ${size}`)
}

/**
 * A body of exactly `size` bytes that no protobuf decoder accepts: it opens
 * with field 1 in wire type 7, which does not exist.
 */
export function garbageOf (size: number, fill: (n: number) => Uint8Array): Uint8Array {
  const body = fill(size)
  body[0] = 0x0f
  return body
}
