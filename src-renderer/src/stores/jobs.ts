// Jobs as the UI knows them: records and their latest progress (≤10 Hz from main), fed by push
// channels wired once at module scope. Actions live at module level.
import { create } from 'zustand'
import type { JobProgress, JobRecord, JobSpec } from '../../../src-shared/jobs'
import { api } from '../api'
import { plainError } from '../plainError'

interface JobsState {
  readonly jobs: Record<string, JobRecord>
  readonly progress: Record<string, JobProgress>
  readonly logs: Record<string, string[]>
  readonly error: string | null
}

export const useJobs = create<JobsState>()(() => ({
  jobs: {},
  progress: {},
  logs: {},
  error: null
}))

api.on('jobs.changed', (job) => {
  useJobs.setState((s) => ({ jobs: { ...s.jobs, [job.id]: job } }))
})
api.on('jobs.progress', (p) => {
  useJobs.setState((s) => ({ progress: { ...s.progress, [p.jobId]: p } }))
})
api.on('jobs.log', (l) => {
  useJobs.setState((s) => {
    const list = [...(s.logs[l.jobId] ?? []), `[${l.level}] ${l.message}`].slice(-200)
    return { logs: { ...s.logs, [l.jobId]: list } }
  })
})

export async function refreshJobs(): Promise<void> {
  try {
    const list = await api.invoke('jobs.list', { limit: 200 })
    useJobs.setState((s) => {
      const jobs = { ...s.jobs }
      for (const j of list) jobs[j.id] = j
      return { jobs, error: null }
    })
  } catch (e) {
    useJobs.setState({ error: plainError(e) })
  }
}

export async function startJob(spec: JobSpec): Promise<string> {
  const { jobId } = await api.invoke('jobs.start', spec)
  return jobId
}

/** Runs an interrupted, failed or cancelled job again; a refusal lands in the store's error. */
export async function runAgain(jobId: string): Promise<void> {
  try {
    await api.invoke('jobs.again', { jobId })
    useJobs.setState({ error: null })
  } catch (e) {
    useJobs.setState({ error: plainError(e) })
  }
}

export function cancelJob(jobId: string): void {
  api.send('jobs.cancel', { jobId })
}
