/**
 * Runtime shim, imported first by every entry point and by the tests.
 *
 * libp2p v3 targets Node 22 and calls `Promise.withResolvers`, which Node 20
 * lacks before 22. This adds it where missing; nothing else belongs here.
 */

interface Resolvers<T> {
  promise: Promise<T>
  resolve: (value: T | PromiseLike<T>) => void
  reject: (reason?: unknown) => void
}

const P = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> }

if (typeof P.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T> (): Resolvers<T> {
      let settle!: Pick<Resolvers<T>, 'resolve' | 'reject'>
      const promise = new Promise<T>((resolve, reject) => { settle = { resolve, reject } })
      return { promise, ...settle }
    }
  })
}

export {}
