// The Parquet layer for Crypto Lake tables in one import: the vendor's schemas, the incremental
// writer, the streaming reader and the footer reader. Everything else in this folder is internal.
export {
  SCHEMAS,
  LAKE_TABLES,
  VENDOR_FINGERPRINTS,
  BOOK_LEVEL_COLUMNS,
  schemaFingerprint,
  tableFingerprint,
  isLakeTable,
  type LakeTable,
  type LakeColumn,
  type ColumnKind,
  type ReadColumns,
  type WriteColumns,
  type BookDeltaColumns,
  type TradeColumns,
  type BookColumns,
  type BookDeltaInput,
  type TradeInput,
  type BookInput,
  type Int64Input,
  type BookLevelColumn
} from './schemas'
export {
  LakeParquetWriter,
  writeLakeTable,
  VENDOR_ROW_GROUP_SIZE,
  type LakeFileMeta,
  type WriterOptions,
  type WriteSummary
} from './writer'
export { readLakeTable, DEFAULT_MAX_BATCH_ROWS, type LakeBatch, type ReadOptions } from './reader'
export {
  readFooter,
  readFooterSync,
  type LakeFooter,
  type ParquetField,
  type RowGroupInfo
} from './footer'
