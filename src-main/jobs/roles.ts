// The roles a thread started from the built job worker can take (workerData.role): none = run a
// job; decode = Parquet decode for a replay (replay/decodeWorker.ts); export-writer = the export's
// Parquet writer stage (export/writerWorker.ts); validate = the gate's file validation
// (validate/validateWorker.ts).
export const DECODE_ROLE = 'decode'
export const EXPORT_WRITER_ROLE = 'export-writer'
export const VALIDATE_ROLE = 'validate'
