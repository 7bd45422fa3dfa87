// Crypto Lake-shaped data for tests, made from the REAL shared captures by the project's own
// converter (never invented). Converted once per test file into a temp folder.
import { convertCaptureToLake, type ConvertResult } from '../../src-main/convert/captureToLake'
import { captureFiles, type CaptureSet } from './data'
import { tempDir } from './synthetic'

export async function convertedLake(
  set: CaptureSet,
  out = tempDir('lakebook-lake-')
): Promise<{ root: string; result: ConvertResult }> {
  const result = await convertCaptureToLake(captureFiles(set), out)
  return { root: out, result }
}
