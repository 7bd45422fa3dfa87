import { useEffect } from 'react'
import { PAGES, showPage, useNav, type Page } from './stores/nav'
import { refreshJobs } from './stores/jobs'
import { refreshSettings } from './stores/settings'
import { startViewHash } from './stores/viewHash'
import { Alerts } from './components/Alerts'
import { DoctorBanner } from './components/DoctorBanner'
import { doctorNotPassing } from './doctorText'
import { runDoctor, useDoctor } from './stores/doctor'
import { BookPage } from './pages/BookPage'
import { CapturePage } from './pages/CapturePage'
import { DataPage } from './pages/DataPage'
import { DoctorPage } from './pages/DoctorPage'
import { ExportPage } from './pages/ExportPage'
import { FidelityPage } from './pages/FidelityPage'
import { GatesPage } from './pages/GatesPage'
import { QualityPage } from './pages/QualityPage'
import { JobsPage } from './pages/JobsPage'
import { MonitorPage } from './pages/MonitorPage'
import { SettingsPage } from './pages/SettingsPage'

export function App() {
  const page = useNav((s) => s.page)
  const notPassing = useDoctor((s) => doctorNotPassing(s.report))
  const setPage = showPage
  useEffect(() => {
    void refreshJobs()
    // The theme and the notification switch apply app-wide from the settings.
    refreshSettings().catch(() => undefined)
    // The doctor's checks at start: a failed one is said at the top of every page.
    void runDoctor()
  }, [])
  // A replay named in the URL hash opens on the Book page (the default page).
  useEffect(() => {
    startViewHash()
  }, [])
  return (
    <div className="app">
      <nav className="nav">
        <div className="brand">lakebook</div>
        {(Object.keys(PAGES) as Page[]).map((p) => (
          <button
            key={p}
            className={p === page ? 'nav-item active' : 'nav-item'}
            data-testid={`nav-${p}`}
            onClick={() => {
              setPage(p)
            }}
          >
            {PAGES[p]}
            {p === 'doctor' && notPassing > 0 && (
              <span
                className="nav-badge"
                data-testid="doctor-badge"
                title={`${String(notPassing)} checks did not pass`}
              >
                {notPassing}
              </span>
            )}
          </button>
        ))}
      </nav>
      <main className="page">
        <DoctorBanner />
        {page === 'data' && <DataPage />}
        {page === 'quality' && <QualityPage />}
        {page === 'book' && <BookPage />}
        {page === 'fidelity' && <FidelityPage />}
        {page === 'capture' && (
          <CapturePage
            onReplay={() => {
              setPage('book')
            }}
          />
        )}
        {page === 'export' && <ExportPage />}
        {page === 'gates' && <GatesPage />}
        {page === 'jobs' && (
          <JobsPage
            onOpen={() => {
              setPage('book')
            }}
          />
        )}
        {page === 'monitor' && <MonitorPage />}
        {page === 'doctor' && <DoctorPage />}
        {page === 'settings' && <SettingsPage />}
      </main>
      <Alerts />
    </div>
  )
}
