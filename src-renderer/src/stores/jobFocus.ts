// A job another page sends the Jobs page to (a point of the Monitor's job-metrics chart): the page
// marks its row and scrolls to it.
import { create } from 'zustand'
import { showPage } from './nav'

export const useJobFocus = create<{ readonly jobId: string | null }>()(() => ({ jobId: null }))

export function openJob(jobId: string): void {
  useJobFocus.setState({ jobId })
  showPage('jobs')
}

/** Replays that kept a timeline name it in their result (any kind with one can be opened). */
export function hasTimeline(result: unknown): boolean {
  return (
    typeof result === 'object' &&
    result !== null &&
    'timeline' in result &&
    typeof result.timeline === 'string'
  )
}
