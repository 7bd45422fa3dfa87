// Which page the app shows, so any page can send the researcher to another (a link into the Book).
import { create } from 'zustand'

export const PAGES = {
  data: 'Data',
  quality: 'Quality',
  book: 'Book',
  fidelity: 'Fidelity',
  capture: 'Capture',
  export: 'Export',
  gates: 'Gates',
  jobs: 'Jobs',
  monitor: 'Monitor',
  doctor: 'Doctor',
  settings: 'Settings'
} as const
export type Page = keyof typeof PAGES

export const useNav = create<{ readonly page: Page }>()(() => ({ page: 'book' }))

export function showPage(page: Page): void {
  useNav.setState({ page })
}
