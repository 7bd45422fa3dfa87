// The code version recorded in job results and certificates: package version plus git commit when
// the build knows it.
declare const __LAKEBOOK_VERSION__: string | undefined

export const VERSION: string =
  typeof __LAKEBOOK_VERSION__ === 'string'
    ? __LAKEBOOK_VERSION__
    : (process.env['npm_package_version'] ?? 'dev')
