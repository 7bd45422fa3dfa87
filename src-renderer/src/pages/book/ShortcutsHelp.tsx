// The Book page's help overlay: every keyboard shortcut and pointer gesture, one list.
const SHORTCUTS: readonly (readonly [string, string])[] = [
  ['Space', 'play / pause (in exchange time, at the chosen speed)'],
  ['→ / ←', 'next / previous frame (one book message)'],
  ['Alt+→ / Alt+←', '100 ms forward / back'],
  ['Shift+→ / Shift+←', '1 s forward / back'],
  ['] / [', 'next / previous bookTicker checkpoint'],
  ['+ / -', 'zoom time in / out around the cursor'],
  ['0', 'the whole replay'],
  ['g', 'go to a time'],
  ['m / M', 'next / previous marker (gap, resync, crossing, burst, reseed, drift)'],
  ['?', 'this list (Esc closes it)']
]

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <div
      className="shortcuts-help"
      data-testid="shortcuts-help"
      role="dialog"
      aria-label="keyboard shortcuts"
      onClick={onClose}
    >
      <div className="panel">
        <h3>Keyboard shortcuts</h3>
        <table>
          <tbody>
            {SHORTCUTS.map(([k, what]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="muted">
          Times are UTC on the exchange’s clock, to the millisecond. Wheel over any time chart:
          zoom; Shift+wheel or drag: pan; click: cursor; double click: the whole replay. On the
          heatmap’s price axis: wheel zooms prices, drag pans them, double click fits them. The bars
          between panes resize them (double click: the default); the layout is remembered.
        </div>
      </div>
    </div>
  )
}
