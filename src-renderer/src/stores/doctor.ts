// The doctor's report of this machine (`lakebook doctor`'s checks): run once when the app starts,
// so a missing native build, a full disk or absent credentials are said before the first job
// fails on them, and again whenever the Doctor page asks.
import { create } from 'zustand'
import type { DoctorReport } from '../../../src-shared/doctor'
import { api } from '../api'
import { plainError } from '../plainError'

interface DoctorState {
  readonly report: DoctorReport | null
  readonly running: boolean
  readonly error: string | null
  /** The start banner was closed by the researcher (until the next check). */
  readonly dismissed: boolean
}

export const useDoctor = create<DoctorState>()(() => ({
  report: null,
  running: false,
  error: null,
  dismissed: false
}))

export async function runDoctor(): Promise<void> {
  if (useDoctor.getState().running) return
  useDoctor.setState({ running: true, error: null, dismissed: false })
  try {
    const report = await api.invoke('app.doctor', null)
    useDoctor.setState({ report, running: false })
  } catch (e) {
    useDoctor.setState({ error: plainError(e), running: false })
  }
}

export function dismissDoctor(): void {
  useDoctor.setState({ dismissed: true })
}
