// A report's or dataset's path, with "Open" (the system's handler) where the host can open files
// (Electron); the browser host shows the path only.
import { useEffect, useState } from 'react'
import { api } from '../api'
import { plainError } from '../plainError'

let canOpen: Promise<boolean> | null = null
function canOpenFiles(): Promise<boolean> {
  canOpen ??= api.invoke('app.info', null).then(
    (i) => i.canOpenFiles,
    () => false
  )
  return canOpen
}

export function OpenPath({ path, label }: { readonly path: string; readonly label?: string }) {
  const [open, setOpen] = useState(false)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    void canOpenFiles().then(setOpen)
  }, [])
  return (
    <span className="open-path">
      {label && `${label}: `}
      <span className="mono">{path}</span>
      {open && (
        <button
          onClick={() => {
            setError(null)
            api.invoke('files.open', { path }).catch((e: unknown) => {
              setError(plainError(e))
            })
          }}
        >
          Open
        </button>
      )}
      {error && <span className="error"> {error}</span>}
    </span>
  )
}
