/** Time units, in milliseconds, so intervals read as `5 * SECOND`. */
export const MILLISECOND = 1
export const SECOND = 1000 * MILLISECOND
export const MINUTE = 60 * SECOND

/** Size units, in bytes, so caps read as `64 * KIB`. */
export const KIB = 1024
export const MIB = 1024 * KIB
