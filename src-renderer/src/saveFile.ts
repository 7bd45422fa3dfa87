// Saves what the researcher sees: a chart's canvas as PNG, a window's rows as CSV. Both go through
// a download link, which the browser host and Electron alike turn into a file (Electron asks where).
import { fmtTime } from '../../src-shared/format'

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  // The click has handed the blob to the download; let it go after the current task.
  setTimeout(() => {
    URL.revokeObjectURL(url)
  }, 0)
}

/** A file name part for a window of time: 20240808T235415.208Z-20240809T000505.809Z. */
export function windowName(fromMs: number, toMs: number): string {
  const part = (ms: number): string => `${fmtTime(ms).replace(/[-:]/g, '').replace(' ', 'T')}Z`
  return `${part(fromMs)}-${part(toMs)}`
}

/** The canvas as a PNG file (its device pixels, as drawn). */
export function saveCanvasPng(canvas: HTMLCanvasElement, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (!blob) {
        reject(new Error('The chart could not be turned into a PNG (the canvas is empty).'))
        return
      }
      download(blob, name)
      resolve()
    }, 'image/png')
  })
}

export function saveText(text: string, name: string, type = 'text/csv'): void {
  download(new Blob([text], { type }), name)
}
