/** Polls `cond` until it holds; fails with `what` after `timeoutMs`. Never a fixed sleep. */
export async function waitFor (
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  pollMs = 50
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      if (await cond()) return
    } catch (err) {
      lastError = err
    }
    await new Promise(resolve => setTimeout(resolve, pollMs))
  }
  const cause = lastError != null ? ` (last error: ${(lastError as Error).message})` : ''
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}${cause}`)
}
