// Flat config: typescript-eslint strict type-checked rules plus the process layering of DESIGN.md.
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import prettier from 'eslint-config-prettier'

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'zlib',
  'crypto',
  'http',
  'net',
  'stream',
  'url'
]

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-artifacts/**',
      'bench-results/**',
      'bin/**',
      'scripts/**',
      '*.config.mjs'
    ]
  },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer'],
              message:
                'Only src-main/app/ipc.ts and src-preload/index.ts touch ipcMain/ipcRenderer.'
            },
            {
              name: 'better-sqlite3',
              message: 'SQLite stays behind src-main/lake/manifest.ts.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src-main/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name=/^mkdir(Sync)?$/] Property[key.name='recursive']",
          message:
            'Recursive mkdir hangs on Node 20 under /proc or a dangling symlink: use makeDir (src-main/util/makeDir.ts).'
        }
      ]
    }
  },
  {
    // The engine, jobs, CLI and browser host run under plain Node: no Electron at all.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/app/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // Flat config replaces a rule per block: the SQLite rule of the first block is repeated.
          paths: [
            { name: 'electron', message: 'Electron stays in the thin shell (src-main/app).' },
            { name: 'better-sqlite3', message: 'SQLite stays behind src-main/lake/manifest.ts.' }
          ]
        }
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
  },
  {
    // Shared code runs everywhere: no Node, no Electron, no DOM, no reaching into a process folder.
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', ...nodeBuiltins.filter((n) => !n.includes('*'))],
          patterns: ['node:*', '**/src-main/**', '**/src-renderer/**', '**/src-preload/**']
        }
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require']
    }
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', ...nodeBuiltins.filter((n) => !n.includes('*'))],
          patterns: ['node:*', '**/src-main/**']
        }
      ]
    }
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-imports': 'off'
    }
  },
  prettier
)
