/** Time units, in milliseconds, so intervals read as `5 * SECOND`. */
export const MILLISECOND = 1
export const SECOND = 1000 * MILLISECOND
export const MINUTE = 60 * SECOND
