// The import layers of src-main (docs/architecture.md), by folder: no Electron outside the shell,
// SQLite only behind the manifest, the engine using no feature or shell folder, the book using
// nothing of the rest of the engine, the shell reaching the engine through its public face.
// Its own module so test/engine/layers.test.ts can lint snippets against exactly these blocks.
const noElectron = { name: 'electron', message: 'Electron stays in the thin shell (src-main/app).' }
export const noSqlite = {
  name: 'better-sqlite3',
  message: 'SQLite stays behind src-main/lake/manifest.ts.'
}
export const noIpcMain = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Only src-main/app/ipc.ts and src-preload/index.ts touch ipcMain/ipcRenderer.'
}
// Flat config replaces a rule per block, so every block below repeats the paths it keeps.
const engineUsesNoFeature = {
  regex:
    '^(\\.\\./)+(app|cli|host|ipc|jobs|export|fidelity|gates|validate|replay|report|capture|convert|doctor|sources)(/|$)',
  message: 'The engine (src-main/engine) is used by the features and the shell, never the reverse.'
}
const shellUsesEngineFace = {
  regex: '/engine/.',
  message: 'The shell imports the engine through its public face, src-main/engine/index.ts.'
}

export const layers = [
  {
    // The engine, jobs, CLI and browser host run under plain Node: no Electron at all.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/app/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron, noSqlite] }] }
  },
  {
    // The layers inside src-main: the engine uses no feature and no shell folder.
    files: ['src-main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectron, noSqlite], patterns: [engineUsesNoFeature] }
      ]
    }
  },
  {
    // The book is the bottom layer: nothing of the rest of the engine, apart from the types of
    // the rows it is fed (source/batches, source/captureMessages).
    files: ['src-main/engine/book/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, noSqlite],
          patterns: [
            engineUsesNoFeature,
            {
              regex: '^\\.\\./(?!\\.\\./)',
              allowTypeImports: true,
              message: 'The book imports nothing of the engine (only the types of its input rows).'
            },
            {
              regex: '^\\.\\./\\.\\./(?!\\.\\./src-shared/)',
              message: 'The book imports nothing outside the engine but src-shared.'
            }
          ]
        }
      ]
    }
  },
  {
    // The shell (CLI, browser host, IPC, job manager) reaches the engine through its public face.
    files: ['src-main/{cli,host,ipc,jobs}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectron, noSqlite], patterns: [shellUsesEngineFace] }
      ]
    }
  },
  {
    files: ['src-main/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noIpcMain, noSqlite], patterns: [shellUsesEngineFace] }
      ]
    }
  },
  {
    files: ['src-main/lake/manifest.ts'],
    rules: { 'no-restricted-imports': 'off' }
  },
  {
    files: ['src-main/app/ipc.ts', 'src-preload/index.ts'],
    rules: { 'no-restricted-imports': 'off' }
  }
]
