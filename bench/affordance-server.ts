import { createApp } from '../src/index.ts'
import { bookmark, visit } from '../src/resources/index.ts'
import { openStore } from '../src/store/open.ts'
import { listenForBench } from './listen.ts'

/**
 * Affordance as the benchmark sees it: the demo resource types over a prepared database
 * (`BENCH_DATABASE`: an SQLite file, or a postgres:// URL served with a pool of
 * `BENCH_POOL_SIZE` connections), on an ephemeral port printed as `listening <port>`.
 */
const database = process.env.BENCH_DATABASE
if (database === undefined) throw new Error('BENCH_DATABASE names the database file or URL')
const synchronous = process.env.BENCH_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL'
const postgres = /^postgres(ql)?:\/\//i.test(database)

// The baseline has no rate limit; one token at thousands of requests per second would otherwise meet ours.
const app = postgres
  ? createApp({ resources: [bookmark, visit], database: await openStore(database, { postgres: { max: Number(process.env.BENCH_POOL_SIZE ?? 10) } }), rateLimit: false })
  : createApp({ resources: [bookmark, visit], database, synchronous, rateLimit: false })
// On PostgreSQL the app's own start-up (roles, cursor key) is done before the first measured request.
await app.ready()
listenForBench(app.callback(), () => app.close())
