// The data gate in one import: validation (staging → ready) with named rules and thresholds,
// import of local vendor-layout folders, profiling with the format gap, certificates, the
// decimal-exactness measurements, the manifest tables (SQL) and their repository, and the job
// runners. Rules and thresholds: docs/validation.md.
export { RULES, ruleSpec, fileRules, type RuleSpec, type RuleScope } from './rules'
export { validateFile, readErrorRule, type FileEnv, type ValidatedFile } from './fileValidator'
export {
  validateLake,
  mergeThresholds,
  selectionOf,
  DEFAULT_EXCHANGE,
  DEFAULT_SYMBOL,
  type GateEnv
} from './gate'
export { importToStaging, type ImportEnv } from './importer'
export { certifyLake, certificateFileName } from './certificate'
export { profileLake, formatGap, type ProfileEnv } from './profile'
export {
  measureCaptureExactness,
  measureParquetExactness,
  captureDecimals,
  normaliseDecimal,
  type DecimalExactness,
  type ExactnessCount
} from './decimal'
export { ValidationStore, type GateFileRow, type FindingRow, type RunRecord } from './store'
export { promote, readyPath } from './promote'
export {
  zoneFiles,
  presentDays,
  parsePartitionRel,
  partitionRel,
  lakeRelative,
  walkParquet,
  type GateFile,
  type Zone,
  type Selection
} from './partition'
export { renderValidationHtml } from './validationHtml'
export { renderCertificateHtml } from './certificateHtml'
export { renderProfileHtml } from './profileHtml'
export { runValidateJob, runCertifyJob, runImportJob, runProfileJob } from './runners'
