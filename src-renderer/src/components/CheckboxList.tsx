// A set of options picked with one checkbox each (e.g. which tables); the order picked is kept.
export function CheckboxList<T extends string>({
  options,
  value,
  onChange
}: {
  readonly options: readonly T[]
  readonly value: readonly T[]
  readonly onChange: (next: T[]) => void
}) {
  return (
    <>
      {options.map((t) => (
        <label key={t}>
          <input
            type="checkbox"
            checked={value.includes(t)}
            onChange={(e) => {
              onChange(e.target.checked ? [...value, t] : value.filter((x) => x !== t))
            }}
          />{' '}
          {t}
        </label>
      ))}
    </>
  )
}
