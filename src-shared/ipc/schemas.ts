// Runtime validators for every request the UI can make, typed against the contract's maps so the
// two cannot drift apart. Used by main (src-main/ipc/router.ts), never by the preload.
import { z } from 'zod'
import { credentialsRequest, inventoryRequest, lakeSource, planRequest } from '../acquire'
import { dataRequirement, decideParams } from '../gates'
import { jobSpec } from '../jobs'
import { FRAMES_MAX } from '../replay'
import { settingKey, settingValue } from '../settings'
import type { CommandChannel, CommandMap, InvokeChannel, InvokeRequest } from './contract'

const jobId = z.string().min(1).max(100)

export const invokeSchemas: { [K in InvokeChannel]: z.ZodType<InvokeRequest<K>> } = {
  'app.info': z.null(),
  'app.doctor': z.null(),
  'files.open': z.object({ path: z.string().min(1).max(4096) }),
  'jobs.start': jobSpec,
  'jobs.list': z.object({ limit: z.number().int().positive().max(10_000).optional() }),
  'jobs.again': z.object({ jobId }),
  'alerts.list': z.object({ limit: z.number().int().positive().max(10_000).optional() }),
  'alerts.ack': z.object({ id: z.number().int().positive() }),
  'monitor.status': z.null(),
  'files.pick': z.object({
    title: z.string().max(200),
    multi: z.boolean(),
    directory: z.boolean().optional()
  }),
  'lake.list': z.object({
    root: z.string().min(1).max(4096),
    zone: z.literal('staging').optional()
  }),
  'acquire.verifyAccess': z.object({ source: lakeSource }),
  'acquire.inventory': inventoryRequest,
  'acquire.plan': planRequest,
  'gate.files': z.object({
    exchange: z.string().min(1).max(40),
    symbol: z.string().min(1).max(40),
    from: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    to: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional()
  }),
  'capture.sessions': z.object({ limit: z.number().int().positive().max(10_000).optional() }),
  'backfill.status': z.object({ id: z.string().min(1).max(200).optional() }),
  'capture.files': z.object({
    sessionId: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\w.-]+$/)
  }),
  'credentials.status': z.null(),
  'credentials.set': credentialsRequest,
  'credentials.clear': z.null(),
  'replay.series': z.object({
    jobId,
    maxPoints: z.number().int().min(10).max(1_000_000).optional(),
    fromMs: z.number().optional(),
    toMs: z.number().optional()
  }),
  'replay.find': z.object({ atMs: z.number() }),
  'replay.frame': z.object({
    jobId,
    index: z.number().int().min(0),
    atMs: z.number().optional()
  }),
  'replay.frames': z.object({
    jobId,
    from: z.number().int().min(0),
    count: z.number().int().min(1).max(FRAMES_MAX)
  }),
  'replay.heatmap': z.object({
    jobId,
    fromMs: z.number().optional(),
    toMs: z.number().optional(),
    columns: z.number().int().min(1).max(4000),
    maxTrades: z.number().int().min(0).max(100_000).optional()
  }),
  'replay.csv': z.object({ jobId, fromMs: z.number(), toMs: z.number() }),
  'gates.view': z.null(),
  // The why is checked by the engine (gates/service.ts), whose refusal is the sentence shown.
  'gates.decide': decideParams.extend({ why: z.string().max(2000) }),
  'gates.require': dataRequirement,
  'gates.requirement': z.null(),
  'gates.config': z.null(),
  'pipeline.status': z.null(),
  'monitor.metrics': z.object({ jobId: z.string().min(1).max(200).optional() }),
  'monitor.dayGrid': z.null(),
  'reports.list': z.null(),
  'settings.get': z.null(),
  'settings.set': z.object({ key: settingKey, value: settingValue }),
  'settings.reset': z.object({ key: settingKey })
}

export const commandSchemas: { [K in CommandChannel]: z.ZodType<CommandMap[K]> } = {
  'jobs.cancel': z.object({ jobId })
}
