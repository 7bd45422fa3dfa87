// A table and day another page sends the Quality page to (the Monitor grid's cells): the page
// picks the instrument and the day and shows that day's files with their verdicts and reasons.
import { create } from 'zustand'
import { showPage } from './nav'

export interface QualityFocus {
  readonly exchange: string
  readonly symbol: string
  readonly table: string
  readonly day: string
}

export const useQualityFocus = create<{ readonly focus: QualityFocus | null }>()(() => ({
  focus: null
}))

export function openQuality(focus: QualityFocus): void {
  useQualityFocus.setState({ focus })
  showPage('quality')
}
