import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { demoUsers } from '../../src/resources/index.ts'
import { chromiumArgs, ensureChromium } from '../helpers/chromium.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

// A real browser, JavaScript-free pages: sign in, follow links, submit forms.
const test = suite('browser: HTML explorer')
let server: TestServer
let context: BrowserContext
let page: Page
let profile: string

test.before(async () => {
  const executablePath = ensureChromium()
  server = await startServer({ demoUsers })
  profile = mkdtempSync(join(tmpdir(), 'affordance-chromium-'))
  context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: [...chromiumArgs], javaScriptEnabled: false })
  page = context.pages()[0] ?? await context.newPage()
  page.setDefaultTimeout(15_000)
})
test.after(async () => {
  await context?.close()
  await server?.close()
  if (profile !== undefined) rmSync(profile, { recursive: true, force: true })
})

const screenshot = (name: string): Promise<Buffer> => page.screenshot({ path: join(tmpdir(), `affordance-explorer-${name}.png`), fullPage: true })
/** Clicks a link or a submit button and waits until the page it leads to has loaded. */
async function clickAndLoad(target: Locator): Promise<void> {
  await target.click()
  await page.waitForLoadState('load')
}
const stateShown = (): Promise<string> => page.locator('#state').innerText()
const form = (action: string) => page.locator(`form[data-action="${action}"]`)

async function signInAs(user: string): Promise<void> {
  await page.goto(`${server.url}/session`)
  await page.selectOption('#form-pick-user', user)
  await clickAndLoad(page.getByRole('button', { name: 'Sign in', exact: true }))
  await page.waitForURL(`${server.url}/`)
}

async function openFromHome(collection: string, label: string): Promise<void> {
  await clickAndLoad(page.getByRole('link', { name: 'Affordance', exact: true }))
  await clickAndLoad(page.getByRole('link', { name: collection, exact: true }))
  await clickAndLoad(page.getByRole('link', { name: label, exact: true }))
}

test('a reader signs in, creates a bookmark, finds it by links, reads it and sees reread', async () => {
  await signInAs('north-reader')
  await clickAndLoad(page.getByRole('link', { name: 'bookmarks', exact: true }))
  await page.getByLabel('Address').fill('https://example.org/hypermedia')
  await page.getByLabel('Title').fill('Hypermedia in practice')
  await clickAndLoad(page.getByRole('button', { name: 'create bookmark' }))
  assert.is(await stateShown(), 'queued')
  await openFromHome('bookmarks', 'Hypermedia in practice')
  assert.match(page.url(), /\/bookmarks\/[0-9a-f-]{36}$/)
  assert.is(await form('read').count(), 1)
  assert.is(await form('reread').count(), 0)
  await clickAndLoad(form('read').getByRole('button'))
  assert.is(await stateShown(), 'read')
  assert.is(await form('reread').count(), 1)
  assert.is(await form('read').count(), 0)
  assert.match(await page.locator('table').innerText(), /read/)
  await screenshot('bookmark')
})

test('a dispatcher assigns a visit; the clinician signs in, departs and checks in with lat/lon', async () => {
  await signInAs('north-dispatcher')
  await clickAndLoad(page.getByRole('link', { name: 'visits', exact: true }))
  await form('create').getByLabel('Patient').fill('Mary Seacole')
  await form('create').getByLabel('Address').fill('14 Tavistock Square, London')
  await page.getByLabel('Scheduled for (UTC)').fill('2026-12-03T10:30')
  await clickAndLoad(page.getByRole('button', { name: 'create visit' }))
  assert.is(await stateShown(), 'scheduled')
  // The form offers the tenant's clinicians by name.
  await page.getByLabel('Clinician').selectOption({ label: 'Clinician 1 (north)' })
  await clickAndLoad(form('assign').getByRole('button'))
  assert.is(await stateShown(), 'assigned')

  await page.goto(`${server.url}/session`)
  await clickAndLoad(page.getByRole('button', { name: 'Sign out' }))
  await signInAs('north-clinician-1')
  await openFromHome('visits', 'Visit to Mary Seacole')
  await clickAndLoad(form('depart').getByRole('button'))
  assert.is(await stateShown(), 'en_route')
  await page.getByLabel('Latitude').fill('51.5246')
  await page.getByLabel('Longitude').fill('-0.1290')
  await clickAndLoad(form('check-in').getByRole('button'))
  assert.is(await stateShown(), 'on_site')
  assert.is(await form('check-out').count(), 1)
  assert.match(await page.locator('dl').innerText(), /51\.5246/)
  await screenshot('visit')
})

test('the filter form on a collection page lists only what it asks for, and keeps its choices', async () => {
  await signInAs('north-dispatcher')
  await server.request('POST', '/visits', { as: 'north-dispatcher', json: { patient: 'Filtered Out', address: '1 Road', scheduled_for: '2026-12-04T09:00:00Z' } })
  await clickAndLoad(page.getByRole('link', { name: 'visits', exact: true }))
  const search = page.getByRole('search')
  await search.getByRole('checkbox', { name: 'scheduled', exact: true }).check()
  await clickAndLoad(search.getByRole('button', { name: 'Filter' }))
  assert.match(page.url(), /\/visits\?status=scheduled/)
  const states = await page.locator('tbody tr td:nth-child(2)').allInnerTexts()
  assert.ok(states.length > 0 && states.every((s) => s === 'scheduled'), states.join(', '))
  assert.is(await page.getByRole('search').getByRole('checkbox', { name: 'scheduled', exact: true }).isChecked(), true)
})

test('a stale form shows the 412 page, whose link leads back to the current state', async () => {
  await signInAs('north-reader')
  const created = await server.request('POST', '/bookmarks', { as: 'north-reader', json: { bookmark_url: 'https://example.org/stale', title: 'Stale form' } })
  await openFromHome('bookmarks', 'Stale form')
  const moved = await server.request('POST', `${created.headers.get('location') as string}/read`, { as: 'north-reader', headers: { 'if-match': created.headers.get('etag') as string } })
  assert.is(moved.status, 200)
  await clickAndLoad(form('archive').getByRole('button'))
  assert.match(await page.locator('h1').innerText(), /412 Precondition Failed/)
  assert.match(await page.locator('dd[data-member="current_state"]').innerText(), /read/)
  await screenshot('stale')
  await clickAndLoad(page.getByRole('link', { name: 'Back to the resource' }))
  assert.is(await stateShown(), 'read')
})

test('a form on another origin posting with the sign-in cookie gets the 403 page and writes nothing', async () => {
  await signInAs('north-reader')
  const before = (await server.request('GET', '/bookmarks?limit=100', { as: 'north-reader' })).json.items.length
  // Same host, other port: same-site, so the SameSite=Strict cookie is sent, and only the origin check stops it.
  const evil: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8')
    res.end(`<!doctype html><title>Win a prize</title><form method="post" action="${server.url}/bookmarks"><input type="hidden" name="bookmark_url" value="https://evil.example/"><input type="hidden" name="title" value="planted"><button>Claim</button></form>`)
  })
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve))
  try {
    await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`)
    await clickAndLoad(page.getByRole('button', { name: 'Claim' }))
    assert.match(await page.locator('h1').innerText(), /403 Forbidden/)
    assert.match(await page.locator('.problem').innerText(), /another site \(Sec-Fetch-Site: same-site\)/)
  } finally {
    evil.closeAllConnections()
    await new Promise<void>((resolve) => evil.close(() => resolve()))
  }
  const after = (await server.request('GET', '/bookmarks?limit=100', { as: 'north-reader' })).json.items.length
  assert.is(after, before)
})
test('the content policy lets the page\'s own sheet apply, and blocks nothing the page needs', async () => {
  const refused: string[] = []
  const listen = (m: { text(): string }) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()) }
  page.on('console', listen)
  try {
    await page.goto(`${server.url}/`)
    assert.match((await page.request.get(`${server.url}/`, { headers: { accept: 'text/html' } })).headers()['content-security-policy'] ?? '', /frame-ancestors 'none'/)
    assert.is(await page.locator('header').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(31, 58, 95)')
    assert.equal(refused, [])
  } finally {
    page.off('console', listen)
  }
})

test.run()
