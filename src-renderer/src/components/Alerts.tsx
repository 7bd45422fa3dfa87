import { dismissAlert, useAlerts } from '../stores/alerts'

export function Alerts() {
  const alerts = useAlerts((s) => s.alerts)
  if (alerts.length === 0) return null
  return (
    <div className="alerts" data-testid="alerts">
      {alerts.map((a) => (
        <div key={a.id} className={`alert alert-${a.level}`}>
          <span>{a.text}</span>
          <button
            onClick={() => {
              dismissAlert(a.id)
            }}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  )
}
