// Flat config: typescript-eslint strict type-checked rules plus the process layering of DESIGN.md.
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import prettier from 'eslint-config-prettier'
import { layers, noIpcMain, noSqlite } from './eslint.layers.mjs'

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
      '*.config.mjs',
      'eslint.layers.mjs'
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
          paths: [noIpcMain, noSqlite]
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
  ...layers,
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
