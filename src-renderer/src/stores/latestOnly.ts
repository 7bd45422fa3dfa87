// Coalesced fetching (the heatmap's columns and the charts' window share it) for views that follow the user's input (a window being zoomed, a frame being
// scrubbed): while one request is in flight, only the newest one asked for since is fetched next,
// and an answer is shown only if no newer request was made meanwhile.

export function latestOnly<Req, Res>(
  fetch: (req: Req) => Promise<Res>,
  show: (req: Req, res: Res) => void,
  fail: (e: unknown) => void
): (req: Req) => void {
  let wanted: Req | null = null
  let asked = 0
  let inFlight = false
  const loop = async (): Promise<void> => {
    inFlight = true
    try {
      while (wanted !== null) {
        const req: Req = wanted
        const n = asked
        wanted = null
        const res = await fetch(req)
        if (n === asked) show(req, res)
      }
    } catch (e) {
      fail(e)
    } finally {
      inFlight = false
    }
  }
  return (req) => {
    wanted = req
    asked++
    if (!inFlight) void loop()
  }
}
