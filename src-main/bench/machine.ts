// The machine a benchmark ran on, and the median of its runs: shared by `lakebook bench`
// (src-main/bench/userBench.ts) and the developer benchmarks in bench/*.bench.ts (bench/lib.ts).
import { readFileSync } from 'node:fs'
import os from 'node:os'

export interface MachineInfo {
  cpu: string
  cores: number
  ramGiB: number
  node: string
  v8: string
  os: string
  arch: string
}

/** CPU model from /proc/cpuinfo (os.cpus() as a fallback), cores, RAM, Node/V8 and OS versions. */
export function machineInfo(): MachineInfo {
  let cpu = os.cpus()[0]?.model ?? 'unknown'
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))
    if (m?.[1]) cpu = m[1].trim()
  } catch {
    // not Linux: keep os.cpus()
  }
  let osName = `${os.type()} ${os.release()}`
  try {
    const m = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))
    if (m?.[1]) osName = `${m[1]} (${os.type()} ${os.release()})`
  } catch {
    // no os-release: keep the kernel name
  }
  return {
    cpu,
    cores: os.availableParallelism(),
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    os: osName,
    arch: process.arch
  }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  if (s.length === 0) return NaN
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2
}

/** The 1-minute load average, two decimals. */
export function load1(): number {
  return Math.round((os.loadavg()[0] ?? 0) * 100) / 100
}
