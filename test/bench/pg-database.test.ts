import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { cpuSpentSince, servesBench } from '../../bench/pg-database.ts'

// PostgreSQL's CPU in the bench report counts only the processes working for the run: other sessions on the same server are other load.
const test = suite('bench PostgreSQL processes')

const prefix = 'affordance_bench_123'
const title = (rest: string): string => `postgres: 15/main: ${rest}\0`.padEnd(80, ' ')

test('the postmaster and the background processes work for every database', () => {
  assert.ok(servesBench('/usr/lib/postgresql/15/bin/postgres\0-D\0/var/lib/postgresql/15/main\0', prefix))
  for (const rest of ['checkpointer', 'background writer', 'walwriter', 'autovacuum launcher', 'logical replication launcher']) assert.ok(servesBench(title(rest), prefix), rest)
})

test('a session counts when its database is the run\'s or one of its copies', () => {
  assert.ok(servesBench(title(`postgres ${prefix} 127.0.0.1(44764) idle`), prefix))
  assert.ok(servesBench(title(`postgres ${prefix}_one 127.0.0.1(44764) SELECT`), prefix))
  assert.ok(servesBench(title(`postgres ${prefix}_two [local] idle in transaction`), prefix))
  assert.ok(servesBench(title(`autovacuum worker ${prefix}_one`), prefix))
})

test('sessions of other databases, and of a run whose pid starts alike, do not count', () => {
  assert.not.ok(servesBench(title('postgres affordance_test_3656_f682f043 127.0.0.1(44810) idle'), prefix))
  assert.not.ok(servesBench(title(`postgres ${prefix}4 127.0.0.1(44810) idle`), prefix))
  assert.not.ok(servesBench(title('autovacuum worker test'), prefix))
  assert.not.ok(servesBench('postgres: postgres test 127.0.0.1(5000) idle', prefix))
})

test('CPU spent: each process\'s growth, all of a new one, nothing for one that ended (never a negative figure)', () => {
  const before = new Map([[10, 5000], [11, 7000], [12, 9000]])
  const after = new Map([[10, 8000], [11, 7000], [13, 400]])
  assert.is(cpuSpentSince(before, after), 3000 + 0 + 400)
  assert.is(cpuSpentSince(new Map([[1, 1e6]]), new Map()), 0)
})

test.run()
