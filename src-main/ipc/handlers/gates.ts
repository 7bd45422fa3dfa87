// The roadmap's phase gates from the app (the Gates page): the same service as `lakebook gates`,
// so the app and the CLI judge, record and refuse alike. Its InputErrors are the sentences the
// page shows.
import { loadTrustConfig } from '../../lake/trustConfig'
import { budgetOf } from '../../gates/requirement'
import { decide, gatesView, requirementOf, saveRequirement } from '../../gates/service'
import type { InvokeHandlers } from '../router'

type GatesChannels =
  'gates.view' | 'gates.decide' | 'gates.require' | 'gates.requirement' | 'gates.config'

export function gatesHandlers(lakeRoot: string): Pick<InvokeHandlers, GatesChannels> {
  return {
    'gates.view': () => gatesView(lakeRoot),
    'gates.decide': (req) => decide(lakeRoot, req),
    'gates.require': (req) => saveRequirement(lakeRoot, req),
    'gates.requirement': () => {
      const requirement = requirementOf(lakeRoot)
      return requirement === null
        ? null
        : { requirement, budget: budgetOf(requirement, loadTrustConfig(lakeRoot).plan) }
    },
    'gates.config': () => loadTrustConfig(lakeRoot)
  }
}
