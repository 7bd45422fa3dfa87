import { useEffect } from 'react'
import { PAGES, showPage, useNav, type Page } from './stores/nav'
import { refreshJobs } from './stores/jobs'
import { refreshSettings } from './stores/settings'
import { startViewHash } from './stores/viewHash'
import { Alerts } from './components/Alerts'
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
  const setPage = showPage
  useEffect(() => {
    void refreshJobs()
    // The theme and the notification switch apply app-wide from the settings.
    refreshSettings().catch(() => undefined)
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
          </button>
        ))}
      </nav>
      <main className="page">
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
