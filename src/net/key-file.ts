/**
 * Reading a secret key file the way every key of this project is read (the
 * daemon's and the client's identity, the swarm key): a file that group or
 * others can read is refused with the chmod that fixes it, and every failure
 * is one line naming the file.
 */
import { readFile, stat } from 'node:fs/promises'

export class IdentityError extends Error {
  override name = 'IdentityError'
  readonly code = 'BAD_IDENTITY'
}

/**
 * The bytes of `file`, or undefined when it does not exist; `what` names the
 * key in messages ("identity key"), `fail` makes the error to throw.
 */
export async function readOwnerOnly (
  file: string, what: string, fail: (message: string) => Error
): Promise<Buffer | undefined> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'ENOENT') return undefined
    throw fail(`cannot read ${what} ${file}: ${e.message}`)
  }
  const mode = (await stat(file)).mode & 0o777
  if ((mode & 0o077) !== 0) {
    throw fail(`${what} ${file} is readable by others (mode ${mode.toString(8)}); run: chmod 600 ${file}`)
  }
  return bytes
}
