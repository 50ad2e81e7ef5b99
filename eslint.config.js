import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/** A folder's imports, checked: each rule names what that folder may not import and why. */
const layer = (files, ...rules) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: rules.map(([group, message]) => ({ group, message })) }] },
})

const IO = [['koa', '@koa/*', 'raw-body', 'better-sqlite3', '**/http/**', '**/store/**'], 'Pure layer: no Koa, no SQLite, nothing of src/http or src/store.']
// Inside src/http, the graph's cells are asked by mount.ts alone; the rest shares only the exchange's shape.
const GRAPH = [['../graph/*', '!../graph/exchange.ts'], 'Only graph/exchange.ts (the shape of a request) is shared; the cells are walked from mount.ts.']
const ROUTES = [['../routes/*'], 'Routes are asked by the graph; they ask nothing of this folder back.']

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'test/.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  layer(['src/fsm/**/*.ts'], [['../*', 'node:*', 'koa', '@koa/*', 'better-sqlite3'], 'The machine core is pure: nothing outside src/fsm, no node:*, no Koa, no SQLite.']),
  layer(['representors/**/*.ts'], IO, [['koa', '@koa/*'], 'Representors never touch Koa\'s ctx.']),
  layer(['src/store/**/*.ts'], [['koa', '@koa/*', '**/http/**', '**/representors/**'], 'The store knows nothing of HTTP or representations.']),
  layer(['src/auth/**/*.ts', 'src/contracts/**/*.ts', 'src/resource.ts', 'src/hooks.ts', 'src/legal-actions.ts'], [['koa', '@koa/*', '**/http/**'], 'The resource layer knows nothing of HTTP.']),
  layer(['src/ops/**/*.ts'], [['**/http/**', '**/store/**'], 'Operations observe the app from outside: src/http calls them, not the other way round.']),
  layer(['src/client/**/*.ts'], [['../*', 'koa', '@koa/*', 'better-sqlite3'], 'The client stands alone: it speaks HTTP to any server, through links.']),
  layer(['src/resources/**/*.ts'], [['../*', '!../index.ts'], 'The demo types use the public API (src/index.ts), as a user would.']),
  layer(['src/http/views/**/*.ts'], [['koa', '@koa/*', 'raw-body'], 'Views are built without Koa.'], GRAPH, ROUTES, [['../features/*', '../reply/*'], 'Views build data; they neither reply nor run features.']),
  layer(['src/http/protocol/**/*.ts', 'src/http/reply/**/*.ts', 'src/http/features/**/*.ts'], GRAPH, ROUTES),
  layer(['src/http/routes/**/*.ts'], GRAPH),
)
