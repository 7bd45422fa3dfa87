// Append-only typed columns that double their capacity: columnar buffers without per-row objects.

export class GrowableF64 {
  private buf: Float64Array
  length = 0

  constructor(capacity = 1024) {
    this.buf = new Float64Array(capacity)
  }

  push(v: number): void {
    if (this.length === this.buf.length) this.grow(this.length + 1)
    this.buf[this.length++] = v
  }

  /** Appends `n` values from `src` starting at 0, then pads with `pad` up to `width` values. */
  pushPadded(src: Float64Array, n: number, width: number, pad: number): void {
    if (this.length + width > this.buf.length) this.grow(this.length + width)
    const b = this.buf
    let at = this.length
    for (let i = 0; i < width; i++) b[at++] = i < n ? (src[i] ?? pad) : pad
    this.length = at
  }

  at(i: number): number {
    return this.buf[i] ?? NaN
  }

  set(i: number, v: number): void {
    this.buf[i] = v
  }

  /** A copy trimmed to length. */
  toArray(): Float64Array {
    return this.buf.slice(0, this.length)
  }

  private grow(min: number): void {
    let cap = this.buf.length * 2
    while (cap < min) cap *= 2
    const next = new Float64Array(cap)
    next.set(this.buf.subarray(0, this.length))
    this.buf = next
  }
}
