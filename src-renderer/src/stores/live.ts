// Live views of running jobs (the capture's counters and top 20), replaced whole on each push
// (≤ 10 Hz from the worker). Only the latest per job is kept.
import { create } from 'zustand'
import type { JobLive } from '../../../src-shared/jobs'
import { api } from '../api'

export const useLive = create<{ byJob: Record<string, JobLive> }>()(() => ({ byJob: {} }))

api.on('jobs.live', (l) => {
  useLive.setState((s) => ({ byJob: { ...s.byJob, [l.jobId]: l } }))
})
