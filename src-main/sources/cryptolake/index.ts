// Crypto Lake acquisition: the public surface for the CLI, jobs and IPC. One concept per module:
// layout (bucket, keys, partitions), client (S3 + credentials), access (verifyAccess), inventory
// (partitions, sizes, coverage), plan (bytes, time, quota, disk, schedule), download (verified,
// resumable fetch into staging), ledger (what is persisted, and its SQL), redact (no secrets out).
export * from './access'
export * from './client'
export * from './download'
export * from './etag'
export * from './fileCheck'
export * from './inventory'
export * from './layout'
export * from './ledger'
export * from './plan'
export * from './redact'
export * from './retry'
export * from './s3errors'
export * from './sqlLedger'
