import { createApp } from '../src/index.ts'
import { bookmark, visit } from '../src/resources/index.ts'
import { listenForBench } from './listen.ts'

/**
 * Affordance as the benchmark sees it: the demo resource types over a prepared database
 * (`BENCH_DATABASE`), on an ephemeral port printed as `listening <port>`.
 */
const database = process.env.BENCH_DATABASE
if (database === undefined) throw new Error('BENCH_DATABASE names the database file')
const synchronous = process.env.BENCH_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL'

// The baseline has no rate limit; one token at thousands of requests per second would otherwise meet ours.
const app = createApp({ resources: [bookmark, visit], database, synchronous, rateLimit: false })
listenForBench(app.callback(), () => app.close())
